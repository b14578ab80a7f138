export {
  type Conversion,
  type ConversionOutcome,
  type ConversionTerms,
  convertDestinationAmount,
  convertSourceAmount,
} from "./conversion.js";
export {
  CURRENCY_EXPONENTS,
  type Currency,
  isCurrency,
  minorUnitsOf,
  SUPPORTED_CURRENCIES,
} from "./currencies.js";
export {
  add,
  CurrencyMismatchError,
  MAX_AMOUNT,
  MAX_BALANCE,
  type Money,
  money,
  subtract,
  sumAmounts,
} from "./money.js";
export {
  crossRate,
  formatRate,
  InvalidRateError,
  inverseRate,
  parseRate,
  RATE_SIGNIFICANT_DIGITS,
  type Rate,
  rateFraction,
  rateFromFraction,
} from "./rate.js";
