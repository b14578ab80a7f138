// Owns the risk rule request and response shapes, and the `risk` assessment a payment answers with.
import * as z from "zod";
import { amountSchema, currencyOutputSchema, currencySchema, idSchema, unixSecondsSchema } from "./common.js";

export const RISK_RULE_TYPES = [
  "amount",
  "daily_outflow",
  "monthly_outflow",
  "velocity",
  "new_destination",
  "blocked_destinations",
] as const;
export type RiskRuleType = (typeof RISK_RULE_TYPES)[number];

export const RISK_ACTIONS = ["decline", "review"] as const;
export type RiskAction = (typeof RISK_ACTIONS)[number];

/** At most this many accounts on one deny list. */
export const MAX_BLOCKED_DESTINATIONS = 100;
/** At most this many payments per minute a velocity rule may allow (and at least 1). */
export const MAX_VELOCITY = 100_000;
/** A new destination is one first paid at most this many hours ago (30 days). */
export const MAX_NEW_DESTINATION_HOURS = 720;

const account = /* @__PURE__ */ idSchema("account").optional().meta({
  description: "The source wallet the rule applies to; without it, every source wallet of the merchant.",
});
const action = /* @__PURE__ */ z.enum(RISK_ACTIONS).optional().meta({
  description: "`decline` (the default): the payment fails; `review`: it waits in `requires_review`.",
});
const limit = /* @__PURE__ */ amountSchema.meta({ description: "The limit, in minor units of `currency`." });
const limitCurrency = /* @__PURE__ */ currencySchema.meta({
  description: "The rule applies to payments in this currency only.",
});

export const createRiskRuleSchema = /* @__PURE__ */ z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("amount").meta({ description: "A payment may be at most `amount`." }),
      amount: limit,
      currency: limitCurrency,
      account,
      action,
    }),
    z.strictObject({
      type: z.literal("daily_outflow").meta({
        description:
          "A source wallet may pay out at most `amount` in any rolling 24 hours (counted by the hour: the current hour and the 24 before it).",
      }),
      amount: limit,
      currency: limitCurrency,
      account,
      action,
    }),
    z.strictObject({
      type: z.literal("monthly_outflow").meta({
        description: "A source wallet may pay out at most `amount` per UTC calendar month.",
      }),
      amount: limit,
      currency: limitCurrency,
      account,
      action,
    }),
    z.strictObject({
      type: z.literal("velocity").meta({
        description: "A source wallet may make at most `count` payments per UTC minute.",
      }),
      count: z.int().min(1).max(MAX_VELOCITY).meta({ description: "Payments allowed per minute." }),
      account,
      action,
    }),
    z.strictObject({
      type: z.literal("new_destination").meta({
        description:
          "A payment above `amount` to a destination first paid less than `hours` ago (or never) breaks the rule.",
      }),
      amount: limit,
      currency: limitCurrency,
      hours: z
        .int()
        .min(1)
        .max(MAX_NEW_DESTINATION_HOURS)
        .meta({ description: "How long a destination is new." }),
      account,
      action,
    }),
    z.strictObject({
      type: z
        .literal("blocked_destinations")
        .meta({ description: "Payments to these accounts break the rule." }),
      destinations: z
        .array(idSchema("account"))
        .min(1)
        .max(MAX_BLOCKED_DESTINATIONS)
        .meta({ description: "The denied destination accounts (bank accounts or wallets)." }),
      account,
      action,
    }),
  ])
  .meta({ id: "CreateRiskRuleRequest" });

export type CreateRiskRuleRequest = z.infer<typeof createRiskRuleSchema>;

export const riskRuleSchema = /* @__PURE__ */ z
  .object({
    id: idSchema("riskRule"),
    object: z.literal("risk_rule"),
    livemode: z
      .boolean()
      .meta({ description: "True for rules made with a live key: they apply to live payments only." }),
    type: z.enum(RISK_RULE_TYPES),
    action: z.enum(RISK_ACTIONS),
    account: z.string().nullable().meta({ description: "The source wallet it applies to, or null for all." }),
    amount: z
      .int()
      .nullable()
      .meta({ description: "The amount limit (amount, outflow and new-destination rules)." }),
    currency: currencyOutputSchema.nullable(),
    count: z.int().nullable().meta({ description: "Payments per minute (velocity rules)." }),
    hours: z.int().nullable().meta({ description: "How long a destination is new (new-destination rules)." }),
    destinations: z
      .array(z.string())
      .nullable()
      .meta({ description: "The deny list (blocked-destination rules)." }),
    created_at: unixSecondsSchema("When the rule was created"),
  })
  .meta({ id: "RiskRule" });

export type RiskRuleResource = z.infer<typeof riskRuleSchema>;

export const riskRuleOutcomeSchema = /* @__PURE__ */ z
  .object({
    rule: z.string().meta({ description: "The rule's id." }),
    type: z.enum(RISK_RULE_TYPES),
    action: z.enum(RISK_ACTIONS),
    outcome: z
      .enum(["near", "broken"])
      .meta({ description: "`near`: the payment took it to 80% or more of its limit; `broken`: over it." }),
    used: z
      .int()
      .meta({ description: "What the limit's window holds with this payment (minor units or payments)." }),
    limit: z.int(),
  })
  .meta({ id: "RiskRuleOutcome" });

export const paymentRiskSchema = /* @__PURE__ */ z
  .object({
    score: z.int().min(0).max(100).meta({ description: "0 (nothing unusual) to 100 (a rule was broken)." }),
    rules: z
      .array(riskRuleOutcomeSchema)
      .meta({ description: "The rules that came near their limit or broke it." }),
  })
  .meta({ id: "PaymentRisk" });

export type PaymentRiskResource = z.infer<typeof paymentRiskSchema>;

export const deletedRiskRuleSchema = /* @__PURE__ */ z
  .object({ id: idSchema("riskRule"), object: z.literal("risk_rule"), deleted: z.literal(true) })
  .meta({ id: "DeletedRiskRule" });
