// The dashboard's entry: sign-in until a key is kept for this tab, then the page the hash names.
import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { Layout } from "./components/Layout.js";
import { BatchDetail } from "./pages/BatchDetail.js";
import { Batches } from "./pages/Batches.js";
import { Overview } from "./pages/Overview.js";
import { PaymentDetail } from "./pages/PaymentDetail.js";
import { Payments } from "./pages/Payments.js";
import { SignIn } from "./pages/SignIn.js";
import { Timings } from "./pages/Timings.js";
import { clientFor, type Payrail } from "./payrail.js";
import { type Route, useRoute } from "./router.js";
import { forgetKey, storedKey, storeKey } from "./session.js";
import "./styles.css";

function App() {
  const [apiKey, setApiKey] = useState(storedKey);
  const client = useMemo(() => (apiKey ? clientFor(apiKey, window.location.origin) : undefined), [apiKey]);
  const route = useRoute();
  const page = route.segments[0] ?? "overview";

  useEffect(() => {
    document.title = `${page[0]?.toUpperCase()}${page.slice(1)} · payrail`;
  }, [page]);

  if (!client) {
    return (
      <SignIn
        onSignedIn={(key) => {
          storeKey(key);
          setApiKey(key);
        }}
      />
    );
  }
  return (
    <Layout
      current={page}
      onSignOut={() => {
        forgetKey();
        setApiKey(undefined);
      }}
    >
      <Page route={route} client={client} />
    </Layout>
  );
}

function Page({ route, client }: { route: Route; client: Payrail }) {
  const [page, id, sub, subId] = route.segments;
  switch (page ?? "overview") {
    case "overview":
      return <Overview client={client} />;
    case "batches":
      return id ? (
        <BatchDetail key={id} client={client} batchId={id} itemId={sub === "items" ? subId : undefined} />
      ) : (
        <Batches client={client} />
      );
    case "payments":
      return id ? (
        <PaymentDetail key={id} client={client} paymentId={id} />
      ) : (
        <Payments client={client} query={route.query} />
      );
    case "timings":
      return <Timings client={client} />;
    default:
      return (
        <>
          <h1>Not found</h1>
          <p>There is no page {page}.</p>
        </>
      );
  }
}

const root = document.getElementById("app");
if (root) render(<App />, root);
