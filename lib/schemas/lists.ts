// Owns the list envelope every list route answers with: `{object: "list", url, data, has_more}`.
import * as z from "zod";

const listEnvelopeSchema = /* @__PURE__ */ z.object({
  object: z.literal("list"),
  url: z.string().meta({ description: "The path of this list." }),
  has_more: z
    .boolean()
    .meta({ description: "True when a next page exists: pass the last id as starting_after." }),
});

/** A list of `item`, newest first. `id` names it in the OpenAPI document (e.g. "PaymentList"). */
/* @__NO_SIDE_EFFECTS__ */ export function listSchema<T extends z.ZodType>(item: T, id: string) {
  return listEnvelopeSchema.extend({ data: z.array(item) }).meta({ id });
}

/** The envelope around any resource type, for clients that hold `T` as a type only. */
export type ListResource<T> = z.output<typeof listEnvelopeSchema> & { data: T[] };
