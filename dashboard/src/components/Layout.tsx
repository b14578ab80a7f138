// The frame of every signed-in page: skip link, navigation (the current page marked for screen
// readers), sign-out, and the page's main landmark.
import type { ComponentChildren } from "preact";
import { href } from "../router.js";

const PAGES = [
  ["overview", "Overview"],
  ["batches", "Batches"],
  ["payments", "Payments"],
  ["timings", "Timings"],
] as const;

export function Layout(props: { current: string; onSignOut(): void; children: ComponentChildren }) {
  return (
    <>
      <button type="button" class="skip-link" onClick={skipToMain}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand">payrail</span>
        <nav aria-label="Dashboard pages">
          <ul>
            {PAGES.map(([page, label]) => (
              <li key={page}>
                <a href={href(page)} aria-current={props.current === page ? "page" : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="sign-out" onClick={props.onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}

/** A button, not a `#main` link: the hash is the route, so skipping moves focus instead. */
function skipToMain(): void {
  document.getElementById("main")?.focus();
}
