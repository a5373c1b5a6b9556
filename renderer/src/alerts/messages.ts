import { defineMessages } from "../i18n/index.js";

export const alertMessages = defineMessages({
  "zh-CN": {
    ticker: "告警",
    quiet: "当前无告警",
    acknowledge: "确认",
    urgentCase: "紧急案件",
    urgentOverdue: "紧急案件·超期",
    overdueCase: "超期案件",
    open: "查看",
    count: "{count} 条未确认",
    acknowledgedBy: "{name} {time} 已确认",
    more: "另有 {count} 条",
  },
  en: {
    ticker: "Alerts",
    quiet: "No alerts",
    acknowledge: "Acknowledge",
    urgentCase: "Urgent case",
    urgentOverdue: "Urgent case, overdue",
    overdueCase: "Overdue case",
    open: "Open",
    count: "{count} unacknowledged",
    acknowledgedBy: "acknowledged by {name} at {time}",
    more: "{count} more",
  },
});
