// Owns what the FX use cases need from the composition root: the rate source and the terms.
import type { FxRatesConfig } from "../aws/config.js";
import { httpRateSource } from "./http-rate-source.js";
import { type RateSource, testRateSource } from "./rate-source.js";

export interface FxDeps {
  rates: RateSource;
  /** Default and longest validity of a quote, in seconds. */
  quoteTtlSeconds: number;
  feeBasisPoints: bigint;
}

/** The adapter the configuration names: the deterministic test rates or an HTTP provider. */
export function rateSourceFrom(config: FxRatesConfig): RateSource {
  return config.kind === "test" ? testRateSource() : httpRateSource(config);
}
