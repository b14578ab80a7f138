// Owns the resource methods: one per route, each a path, a method and its types.
import { ListRequest, type Page } from "./lists.js";
import type { ApiRequest, Transport } from "./transport.js";
import type {
  Account,
  AccountCreateParams,
  ApiKey,
  ApiKeyCreateParams,
  ApprovalPolicy,
  ApprovalPolicyParams,
  Batch,
  BatchCreateParams,
  BatchItem,
  BatchItemListParams,
  BatchListParams,
  BatchRejectParams,
  CreatedApiKey,
  DeletedRiskRule,
  Event,
  EventListParams,
  FxHouseAccount,
  FxQuote,
  FxQuoteCreateParams,
  Hold,
  HoldCaptureParams,
  HoldCreateParams,
  List,
  ListParams,
  Payment,
  PaymentCreateParams,
  PaymentListParams,
  Refund,
  RefundCreateParams,
  RefundListParams,
  RequestOptions,
  RiskRule,
  RiskRuleCreateParams,
  Topup,
  TopupCreateParams,
  WithResponse,
} from "./types.js";

abstract class Resource {
  constructor(protected readonly transport: Transport) {}

  protected async call<T extends object>(
    request: ApiRequest,
    options?: RequestOptions,
  ): Promise<WithResponse<T>> {
    const answer = await this.transport.request<T>(request, options);
    return Object.defineProperty(answer.body, "lastResponse", {
      value: answer.meta,
      enumerable: false,
    }) as WithResponse<T>;
  }

  protected paged<T extends { id: string }>(
    path: string,
    params: { starting_after?: string | undefined } & Record<string, string | number | undefined>,
    options?: RequestOptions,
  ): ListRequest<T> {
    return new ListRequest<T>(
      (startingAfter) =>
        this.call<List<T>>(
          { method: "GET", path, query: { ...params, starting_after: startingAfter } },
          options,
        ) as Promise<Page<T>>,
      params.starting_after,
    );
  }
}

const id = (value: string) => encodeURIComponent(value);

export class Accounts extends Resource {
  create(params: AccountCreateParams, options?: RequestOptions) {
    return this.call<Account>({ method: "POST", path: "/v1/accounts", body: params }, options);
  }
  retrieve(accountId: string, options?: RequestOptions) {
    return this.call<Account>({ method: "GET", path: `/v1/accounts/${id(accountId)}` }, options);
  }
  list(params: ListParams = {}, options?: RequestOptions) {
    return this.paged<Account>("/v1/accounts", params, options);
  }
}

export class Topups extends Resource {
  create(params: TopupCreateParams, options?: RequestOptions) {
    return this.call<Topup>({ method: "POST", path: "/v1/topups", body: params }, options);
  }
  retrieve(topupId: string, options?: RequestOptions) {
    return this.call<Topup>({ method: "GET", path: `/v1/topups/${id(topupId)}` }, options);
  }
}

export class Payments extends Resource {
  /** Resolves with a succeeded (201) or processing (202) payment; a decline throws PaymentError. */
  create(params: PaymentCreateParams, options?: RequestOptions) {
    return this.call<Payment>({ method: "POST", path: "/v1/payments", body: params }, options);
  }
  retrieve(paymentId: string, options?: RequestOptions) {
    return this.call<Payment>({ method: "GET", path: `/v1/payments/${id(paymentId)}` }, options);
  }
  list(params: PaymentListParams = {}, options?: RequestOptions) {
    return this.paged<Payment>("/v1/payments", params, options);
  }
  /** Executes a payment in `requires_review`; a decline rule it breaks by now throws PaymentError (402). */
  approve(paymentId: string, options?: RequestOptions) {
    return this.call<Payment>({ method: "POST", path: `/v1/payments/${id(paymentId)}/approve` }, options);
  }
  /** Fails a payment in `requires_review` with `review_declined` and releases its reserved amount. */
  decline(paymentId: string, options?: RequestOptions) {
    return this.call<Payment>({ method: "POST", path: `/v1/payments/${id(paymentId)}/decline` }, options);
  }
}

export class RiskRules extends Resource {
  create(params: RiskRuleCreateParams, options?: RequestOptions) {
    return this.call<RiskRule>({ method: "POST", path: "/v1/risk_rules", body: params }, options);
  }
  retrieve(ruleId: string, options?: RequestOptions) {
    return this.call<RiskRule>({ method: "GET", path: `/v1/risk_rules/${id(ruleId)}` }, options);
  }
  /** Every rule of the key's mode (at most 100, one page), oldest first. */
  list(options?: RequestOptions) {
    return this.call<{ object: "list"; data: RiskRule[]; has_more: boolean; url: string }>(
      { method: "GET", path: "/v1/risk_rules" },
      options,
    );
  }
  del(ruleId: string, options?: RequestOptions) {
    return this.call<DeletedRiskRule>({ method: "DELETE", path: `/v1/risk_rules/${id(ruleId)}` }, options);
  }
}

export class Refunds extends Resource {
  /** Resolves with a succeeded refund (201); one the destination cannot fund throws PaymentError (402). */
  create(params: RefundCreateParams, options?: RequestOptions) {
    return this.call<Refund>({ method: "POST", path: "/v1/refunds", body: params }, options);
  }
  retrieve(refundId: string, options?: RequestOptions) {
    return this.call<Refund>({ method: "GET", path: `/v1/refunds/${id(refundId)}` }, options);
  }
  /** All refunds, or one payment's with `{payment}`. */
  list(params: RefundListParams = {}, options?: RequestOptions) {
    return this.paged<Refund>("/v1/refunds", params, options);
  }
}

export class Events extends Resource {
  retrieve(eventId: string, options?: RequestOptions) {
    return this.call<Event>({ method: "GET", path: `/v1/events/${id(eventId)}` }, options);
  }
  /**
   * Oldest first, forward from `starting_after`; `{object: "pay_…"}` lists one object's events.
   * Events are listed about 5 s after their change (the read horizon, see the API reference).
   */
  list(params: EventListParams = {}, options?: RequestOptions) {
    return this.paged<Event>("/v1/events", params, options);
  }
}

export class FxQuotes extends Resource {
  /** Resolves with the quote (201): its rate is locked until `expires_at`, for one payment. */
  create(params: FxQuoteCreateParams, options?: RequestOptions) {
    return this.call<FxQuote>({ method: "POST", path: "/v1/fx_quotes", body: params }, options);
  }
  retrieve(quoteId: string, options?: RequestOptions) {
    return this.call<FxQuote>({ method: "GET", path: `/v1/fx_quotes/${id(quoteId)}` }, options);
  }
  /** The house FX accounts, one per currency converted (not paged: at most one per currency). */
  houseAccounts(options?: RequestOptions) {
    return this.call<List<FxHouseAccount>>({ method: "GET", path: "/v1/fx_house_accounts" }, options);
  }
}

export class Holds extends Resource {
  /** Resolves with the hold (201); a source that cannot cover it throws PaymentError (402). */
  create(params: HoldCreateParams, options?: RequestOptions) {
    return this.call<Hold>({ method: "POST", path: "/v1/holds", body: params }, options);
  }
  retrieve(holdId: string, options?: RequestOptions) {
    return this.call<Hold>({ method: "GET", path: `/v1/holds/${id(holdId)}` }, options);
  }
  list(params: ListParams = {}, options?: RequestOptions) {
    return this.paged<Hold>("/v1/holds", params, options);
  }
  /** Captures `amount` (all of it by default) into a payment; the rest is released. */
  capture(holdId: string, params: HoldCaptureParams = {}, options?: RequestOptions) {
    return this.call<Hold>(
      { method: "POST", path: `/v1/holds/${id(holdId)}/capture`, body: params },
      options,
    );
  }
  void(holdId: string, options?: RequestOptions) {
    return this.call<Hold>({ method: "POST", path: `/v1/holds/${id(holdId)}/void` }, options);
  }
}

export class Batches extends Resource {
  create(params: BatchCreateParams, options?: RequestOptions) {
    return this.call<Batch>({ method: "POST", path: "/v1/batches", body: params }, options);
  }
  retrieve(batchId: string, options?: RequestOptions) {
    return this.call<Batch>({ method: "GET", path: `/v1/batches/${id(batchId)}` }, options);
  }
  list(params: BatchListParams = {}, options?: RequestOptions) {
    return this.paged<Batch>("/v1/batches", params, options);
  }
  /** The batch's items; `starting_after` is an item id (yours). */
  listItems(batchId: string, params: BatchItemListParams = {}, options?: RequestOptions) {
    return this.paged<BatchItem>(`/v1/batches/${id(batchId)}/items`, params, options);
  }
  cancel(batchId: string, options?: RequestOptions) {
    return this.call<Batch>({ method: "POST", path: `/v1/batches/${id(batchId)}/cancel` }, options);
  }
  /** Approves a `requires_approval` batch; the key must not be the one that created it. */
  approve(batchId: string, options?: RequestOptions) {
    return this.call<Batch>(
      { method: "POST", path: `/v1/batches/${id(batchId)}/approve`, body: {} },
      options,
    );
  }
  /** Rejects (cancels) a `requires_approval` batch, with an optional reason. */
  reject(batchId: string, params: BatchRejectParams = {}, options?: RequestOptions) {
    return this.call<Batch>(
      { method: "POST", path: `/v1/batches/${id(batchId)}/reject`, body: params },
      options,
    );
  }
}

/** API keys of the calling key's merchant and mode (admin keys only). */
export class ApiKeys extends Resource {
  create(params: ApiKeyCreateParams = {}, options?: RequestOptions) {
    return this.call<CreatedApiKey>({ method: "POST", path: "/v1/api_keys", body: params }, options);
  }
  /** Every key (at most 100), oldest first, without secrets. */
  list(options?: RequestOptions) {
    return this.call<List<ApiKey>>({ method: "GET", path: "/v1/api_keys" }, options);
  }
  revoke(keyId: string, options?: RequestOptions) {
    return this.call<ApiKey>({ method: "POST", path: `/v1/api_keys/${id(keyId)}/revoke` }, options);
  }
}

/** The batch approval policy of the calling key's mode (admin keys only). */
export class ApprovalPolicies extends Resource {
  retrieve(options?: RequestOptions) {
    return this.call<ApprovalPolicy>({ method: "GET", path: "/v1/approval_policy" }, options);
  }
  /** Replaces the policy: a rule left out is no rule. */
  update(params: ApprovalPolicyParams, options?: RequestOptions) {
    return this.call<ApprovalPolicy>({ method: "POST", path: "/v1/approval_policy", body: params }, options);
  }
}
