import type { ConnectionState, DropReason, OutboxState } from "../../../shared/bridge/contract.js";
import type { AlertLevel, IncidentStatus, Priority, Rating, UnitRole, UnitStatus } from "../../../shared/protocol/types.js";
import type { CommandType } from "../../../shared/protocol/types.js";
import type { Source } from "../../../shared/domain/queue.js";
import type { Language } from "../state/ui.js";

/*
 * Names of the closed sets (statuses, priorities, sources, actions…) shared by
 * every feature, Chinese first. Typed as full records so a value added to a
 * union and not named here fails the build.
 */

type Named<K extends string> = Record<Language, Record<K, string>>;

export const STATUS_NAMES: Named<IncidentStatus> = {
  "zh-CN": { reported: "上报", registered: "立案", dispatched: "派遣", processing: "处置中", responded: "已反馈", closed: "已结案", rejected: "不予立案" },
  en: { reported: "Reported", registered: "Registered", dispatched: "Dispatched", processing: "Processing", responded: "Responded", closed: "Closed", rejected: "Rejected" },
};

export const PRIORITY_NAMES: Named<Priority> = {
  "zh-CN": { urgent: "紧急", high: "高", normal: "普通", low: "低" },
  en: { urgent: "Urgent", high: "High", normal: "Normal", low: "Low" },
};

export const SOURCE_NAMES: Named<Source> = {
  "zh-CN": { patrol: "网格员巡查", hotline: "12345热线", resident_app: "居民App", sensor: "物联感知", console: "指挥中心登记", other: "其他" },
  en: { patrol: "Grid patrol", hotline: "12345 hotline", resident_app: "Resident app", sensor: "IoT sensor", console: "Center report", other: "Other" },
};

export const ACTION_NAMES: Named<CommandType> = {
  "zh-CN": { register: "立案", reject: "不予立案", dispatch: "派遣", urge: "督办", close: "核查结案", rework: "返工", annotate: "备注", report: "登记", evaluate: "评价" },
  en: { register: "Register", reject: "Reject", dispatch: "Dispatch", urge: "Urge", close: "Verify & close", rework: "Rework", annotate: "Note", report: "New report", evaluate: "Evaluate" },
};

/** 评价 ratings (回访: the reporter's verdict after closing). */
export const RATING_NAMES: Named<Rating> = {
  "zh-CN": { satisfied: "满意", basically_satisfied: "基本满意", unsatisfied: "不满意" },
  en: { satisfied: "Satisfied", basically_satisfied: "Basically satisfied", unsatisfied: "Unsatisfied" },
};

export const CONNECTION_NAMES: Named<ConnectionState> = {
  "zh-CN": { live: "在线", connecting: "连接中", offline: "离线", stalled: "数据停滞", unauthorized: "认证失败" },
  en: { live: "Live", connecting: "Connecting", offline: "Offline", stalled: "Stalled", unauthorized: "Auth failed" },
};

export const OUTBOX_STATE_NAMES: Named<OutboxState> = {
  "zh-CN": { queued: "排队中", sending: "发送中", conflict: "平台拒绝（版本冲突）", rejected: "平台拒绝" },
  en: { queued: "Queued", sending: "Sending", conflict: "Refused by the platform (conflict)", rejected: "Refused by the platform" },
};

/** Why the engine dropped a feed message (its diagnostics' counters). */
export const DROP_REASON_NAMES: Named<DropReason> = {
  "zh-CN": {
    "command_result.invalid": "指令回执格式错误",
    "event.unknown": "未知事件",
    "hello.invalid": "握手消息格式错误",
    "subscribe_ack.invalid": "订阅应答格式错误",
    "snapshot.invalid": "快照格式错误",
    "snapshot.unsolicited": "未请求的快照",
    "snapshot.incomplete": "快照不完整",
    "delta.invalid": "增量格式错误",
    "delta.foreign_epoch": "其他序列空间的增量",
    "delta.repeat": "重复的增量",
    "delta.unknown_event": "增量中的未知事件（已跳过）",
    "heartbeat.invalid": "心跳格式错误",
    "positions.invalid": "位置帧格式错误",
    "positions.fix_invalid": "无效的定位点（已跳过）",
    "tracks.invalid": "无法读取的历史轨迹答复",
    "tracks.fix_invalid": "历史轨迹中的无效定位点（已跳过）",
    "delta.buffer_full": "待补序列的增量超出上限（已丢弃，改取全量）",
    "snapshot.too_large": "全量快照超出大小上限（已丢弃，重新获取）",
    "frame.too_large": "超大数据帧（未读取即断开，已重连）",
  },
  en: {
    "command_result.invalid": "Malformed command result",
    "event.unknown": "Unknown event",
    "hello.invalid": "Malformed hello",
    "subscribe_ack.invalid": "Malformed subscribe answer",
    "snapshot.invalid": "Malformed snapshot",
    "snapshot.unsolicited": "Snapshot not asked for",
    "snapshot.incomplete": "Incomplete snapshot",
    "delta.invalid": "Malformed delta",
    "delta.foreign_epoch": "Delta from another epoch",
    "delta.repeat": "Repeated delta",
    "delta.unknown_event": "Unknown event in a delta (skipped)",
    "heartbeat.invalid": "Malformed heartbeat",
    "positions.invalid": "Malformed positions frame",
    "positions.fix_invalid": "Invalid position fix (skipped)",
    "tracks.invalid": "Unreadable track history reply",
    "tracks.fix_invalid": "Invalid fix in track history (skipped)",
    "delta.buffer_full": "Held deltas past their cap (dropped; a snapshot asked for)",
    "snapshot.too_large": "Snapshot past its size cap (dropped; asked for again)",
    "frame.too_large": "Oversize frame (refused unread; reconnected)",
  },
};

/** Icons go with every state colour, so no state is told by colour alone. */
export const CONNECTION_ICONS: Record<ConnectionState, string> = { live: "●", connecting: "◌", offline: "✕", stalled: "‖", unauthorized: "⊘" };

export const ROLE_NAMES: Named<UnitRole> = {
  "zh-CN": {
    grid_manager: "网格长",
    grid_assistant: "网格员",
    grid_supervisor: "网格督导员",
    grid_police: "网格警员",
    grid_judicial: "网格司法员",
    grid_firefighter: "网格消防员",
    party_secretary: "党组织书记",
    other: "其他力量",
  },
  en: {
    grid_manager: "Grid manager",
    grid_assistant: "Grid assistant",
    grid_supervisor: "Grid supervisor",
    grid_police: "Grid police",
    grid_judicial: "Judicial officer",
    grid_firefighter: "Firefighter",
    party_secretary: "Party secretary",
    other: "Other",
  },
};

export const UNIT_STATUS_NAMES: Named<UnitStatus> = {
  "zh-CN": { on_patrol: "巡查中", busy: "忙碌", off_duty: "下班", sos: "求救" },
  en: { on_patrol: "On patrol", busy: "Busy", off_duty: "Off duty", sos: "SOS" },
};

export const ALERT_LEVEL_NAMES: Named<AlertLevel> = {
  "zh-CN": { info: "提示", warning: "警告", critical: "紧急" },
  en: { info: "Info", warning: "Warning", critical: "Critical" },
};
