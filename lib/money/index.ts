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
