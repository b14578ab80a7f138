// Owns the top-up request and response shapes (sandbox funding of a wallet).
import * as z from "zod";
import {
  amountSchema,
  currencyOutputSchema,
  currencySchema,
  idSchema,
  metadataSchema,
  minorUnitsSchema,
  unixSecondsSchema,
} from "./common.js";

export const createTopupSchema = /* @__PURE__ */ z
  .strictObject({
    account: idSchema("account"),
    amount: amountSchema,
    currency: currencySchema,
    metadata: metadataSchema.optional(),
  })
  .meta({ id: "CreateTopupRequest" });

export type CreateTopupRequest = z.infer<typeof createTopupSchema>;

export const topupSchema = /* @__PURE__ */ z
  .object({
    id: idSchema("topup"),
    object: z.literal("topup"),
    livemode: z.boolean().meta({ description: "True for objects made with a live key, false in test mode." }),
    account: idSchema("account").meta({ description: "The wallet topped up." }),
    amount: minorUnitsSchema(),
    currency: currencyOutputSchema,
    status: z.literal("succeeded"),
    metadata: z.record(z.string(), z.string()),
    created_at: unixSecondsSchema("When the top-up was made"),
  })
  .meta({ id: "Topup" });

export type TopupResource = z.infer<typeof topupSchema>;
