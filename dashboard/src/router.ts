// Owns navigation: hash routes (`#/batches/bat_…`), so the one HTML page serves every view and no
// server route is needed per page. Query values after `?` are search filters, never a secret.
import { useEffect, useState } from "preact/hooks";

export interface Route {
  /** Path segments after `#/`, e.g. ["batches", "bat_123"]. */
  segments: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, "");
  const [path = "", search = ""] = raw.split("?", 2);
  const segments = path
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => decodeURIComponent(segment));
  return { segments, query: new URLSearchParams(search) };
}

export function href(...segments: string[]): string {
  return `#/${segments.map((segment) => encodeURIComponent(segment)).join("/")}`;
}

export function navigate(to: string): void {
  window.location.hash = to;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
