// Owns what the CLI says, in English and Simplified Chinese (--lang zh-CN): one template per line
// it writes, `{name}` filled with values. Ids, statuses, codes and amounts stay as the API spells
// them; the API's own error messages come back in the same language (Accept-Language).
import type { Language } from "../lib/i18n/language.js";

const EN = {
  plan: "{name}: {count} items{payees}, {totals}, {parts} {batches}",
  payees: ", {count} to IBANs",
  ended: "{batch} was submitted from this file before and ended {status}{failure}",
  not_resubmitted:
    "{ended}; nothing was submitted now. Once the cause is fixed, run again with --resubmit to submit it as a new batch.",
  resubmitted: "{ended}; resubmitted as {batch}",
  already_resubmitted: "{ended}; already resubmitted as {batch}",
  batch_started: "{batch} {status} ({count} items, part {part}/{parts}){replayed}",
  already_submitted: " already submitted",
  batch_result: "{batch}\t{status}\t{succeeded} succeeded ({currency} {amount})\t{failed} failed{failure}",
  items_failed: "some items failed: see `payrail batch report <bat_…> --out results.csv`",
  progress: "{batch} {status}: {done}/{total} items",
  report_written: "{file}: {count} items ({counts})",
  already_refunded: "already refunded",
  batch_approved: "{batch}\t{status}\tapproved by {by}",
  awaiting_approval:
    "{batch} requires approval: another key approves it with `payrail batch approve {batch}`",
  batch_rejected: "{batch}\t{status}\trejected by {by}",
  refused: "{file}: refused, nothing was submitted",
  error: "error: {message}",
  reused_hint:
    " (this file was already submitted with other options: --source, --currency, --at or --description)",
  usage_hint: "Run payrail --help for usage.",
  no_api_key: "no API key: set PAYRAIL_API_KEY or pass --api-key",
  no_source: "no source account: pass --source acct_…",
  unknown_command: "unknown command: {command}",
  bad_lang: "--lang must be en or zh-CN (zh, zh-Hans)",
} as const;

export type CliMessageKey = keyof typeof EN;

const ZH_CN: Record<CliMessageKey, string> = {
  plan: "{name}：{count} 个条目{payees}，{totals}，{parts} 个批次",
  payees: "，其中 {count} 个付往 IBAN",
  ended: "{batch} 曾由此文件提交，最终状态为 {status}{failure}",
  not_resubmitted: "{ended}；本次未提交任何内容。排除原因后，请加上 --resubmit 重新运行，以新批次提交。",
  resubmitted: "{ended}；已作为 {batch} 重新提交",
  already_resubmitted: "{ended}；此前已作为 {batch} 重新提交",
  batch_started: "{batch} {status}（{count} 个条目，第 {part}/{parts} 部分）{replayed}",
  already_submitted: " 已提交过",
  batch_result: "{batch}\t{status}\t成功 {succeeded} 个（{currency} {amount}）\t失败 {failed} 个{failure}",
  items_failed: "部分条目失败：请查看 `payrail batch report <bat_…> --out results.csv`",
  progress: "{batch} {status}：{done}/{total} 个条目",
  report_written: "{file}：{count} 个条目（{counts}）",
  already_refunded: "已退款过",
  batch_approved: "{batch}\t{status}\t由 {by} 批准",
  awaiting_approval: "{batch} 需要审批：请用另一个密钥运行 `payrail batch approve {batch}` 批准",
  batch_rejected: "{batch}\t{status}\t由 {by} 拒绝",
  refused: "{file}：已拒绝，未提交任何内容",
  error: "错误：{message}",
  reused_hint: "（此文件已用其他选项提交过：--source、--currency、--at 或 --description）",
  usage_hint: "运行 payrail --help 查看用法。",
  no_api_key: "没有 API 密钥：请设置 PAYRAIL_API_KEY 或传入 --api-key",
  no_source: "没有付款账户：请传入 --source acct_…",
  unknown_command: "未知命令：{command}",
  bad_lang: "--lang 必须是 en 或 zh-CN（zh、zh-Hans）",
};

export const CLI_MESSAGES: Record<Language, Record<CliMessageKey, string>> = { en: EN, "zh-CN": ZH_CN };

/** The line `key` in `language`, values filled in. */
export function say(
  language: Language,
  key: CliMessageKey,
  vars: Record<string, string | number> = {},
): string {
  return CLI_MESSAGES[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    vars[name] === undefined ? whole : String(vars[name]),
  );
}
