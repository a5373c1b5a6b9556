import { defineMessages } from "../i18n/index.js";

export const alertMessages = defineMessages({
  "zh-CN": {
    ticker: "告警",
    quiet: "当前无告警",
    acknowledge: "确认",
    urgentCase: "新紧急案件",
    open: "查看",
    count: "{count} 条未确认",
  },
  en: {
    ticker: "Alerts",
    quiet: "No alerts",
    acknowledge: "Acknowledge",
    urgentCase: "New urgent case",
    open: "Open",
    count: "{count} unacknowledged",
  },
});
