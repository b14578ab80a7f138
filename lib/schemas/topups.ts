// Owns the top-up request and response shapes (sandbox funding of a wallet).
import { z } from "zod";
import { amountSchema, currencySchema, idSchema, metadataSchema } from "./common.js";

export const createTopupSchema = z
  .strictObject({
    account: idSchema("account"),
    amount: amountSchema,
    currency: currencySchema,
    metadata: metadataSchema.optional(),
  })
  .meta({ id: "CreateTopupRequest" });

export type CreateTopupRequest = z.infer<typeof createTopupSchema>;

export const topupSchema = z
  .object({
    id: idSchema("topup"),
    object: z.literal("topup"),
    account: z.string(),
    amount: z.int(),
    currency: z.string(),
    status: z.literal("succeeded"),
    metadata: z.record(z.string(), z.string()),
    created_at: z.int(),
  })
  .meta({ id: "Topup" });

export type TopupResource = z.infer<typeof topupSchema>;
