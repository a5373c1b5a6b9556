import { describe, expect, it } from "vitest";
import { toEpochMs } from "../../../shared/domain/time.js";
import type { StatusReason } from "../../../shared/bridge/contract.js";
import { describeStatusReason } from "../../../shared/bridge/status.js";
import { countWaiting, engineCauseText, formatBytes, formatSince, statusReasonText } from "./format.js";
import { statusMessages } from "./messages.js";

describe("formatSince", () => {
  const now = toEpochMs("2026-11-23T00:20:00+08:00");

  it("shows only the Beijing time of day for a time earlier today", () => {
    expect(formatSince("2026-11-22T16:05:09.000Z", now)).toBe("00:05:09");
  });

  it("puts the date in front of a time before Beijing midnight", () => {
    expect(formatSince("2026-11-22T23:59:30+08:00", now)).toBe("11-22 23:59:30");
  });

  it("gives nothing for a missing or unreadable time", () => {
    expect(formatSince(null, now)).toBeNull();
    expect(formatSince("yesterday", now)).toBeNull();
  });
});

describe("formatBytes", () => {
  it("uses B, KB and MB", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2.0 KB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MB");
  });
});

describe("countWaiting", () => {
  it("counts queued and sending commands, not the ones the platform refused", () => {
    expect(countWaiting([{ state: "queued" }, { state: "sending" }, { state: "conflict" }, { state: "rejected" }])).toBe(2);
  });
});

describe("statusReasonText", () => {
  const now = toEpochMs("2026-11-23T10:00:00+08:00");
  const reasons: StatusReason[] = [
    { code: "connecting" },
    { code: "awaiting_hello" },
    { code: "token_refused", retryAt: "2026-11-23T02:01:00.000Z" },
    { code: "protocol_refused", retryAt: "2026-11-23T02:01:00.000Z" },
    { code: "unreachable", error: "websocket error", retryInS: 8 },
    { code: "connection_lost", error: "transport close", retryInS: 2 },
    { code: "no_heartbeat", seconds: 15 },
  ];

  it("words every reason in Chinese with no English left in it", () => {
    const zh = reasons.map((reason) => statusReasonText(reason, statusMessages["zh-CN"], now));
    expect(zh).toEqual([
      "正在连接指挥平台",
      "已连接，等待平台应答",
      "平台拒绝了访问凭证，请检查配置；10:01:00 再试",
      "平台不支持本控制台的协议版本 1，请检查配置；10:01:00 再试",
      "无法连接平台（网络错误），8 秒后重试",
      "连接中断（传输已关闭），2 秒后重试",
      "15 秒未收到心跳，平台可能已停滞",
    ]);
    for (const text of zh) expect(text).not.toMatch(/[A-Za-z]{2,}/);
  });

  it("words them in English on the English switch, with Beijing times", () => {
    const en = reasons.map((reason) => statusReasonText(reason, statusMessages.en, now));
    expect(en[2]).toBe("The platform refused the console's credentials; check the configuration. Next try at 10:01:00");
    expect(en[5]).toBe("Connection lost (transport closed); retrying in 2 s");
  });

  it("shows an error Socket.IO words otherwise as it came", () => {
    expect(statusReasonText({ code: "unreachable", error: "ECONNREFUSED", retryInS: 4 }, statusMessages["zh-CN"], now)).toBe("无法连接平台（ECONNREFUSED），4 秒后重试");
  });

  it("says the console's engine stopped and asks for a restart, in both languages and in the log line", () => {
    const reason = { code: "engine_stopped", error: "out of memory" } as const;
    expect(statusReasonText(reason, statusMessages["zh-CN"], now)).toBe("控制台数据引擎已停止（out of memory），请重启控制台");
    expect(statusReasonText(reason, statusMessages.en, now)).toBe("The console's data engine stopped (out of memory); restart the console");
    expect(describeStatusReason(reason)).toBe("the console's engine stopped (out of memory); restart the console");
  });

  it("says the engine is restarting, and when the supervisor gave up, in both languages and in the log line", () => {
    const restarting = { code: "engine_restarting", error: "uncaught_error", attempt: 2, retryInS: 2 } as const;
    expect(statusReasonText(restarting, statusMessages["zh-CN"], now)).toBe("控制台数据引擎意外停止（未处理的程序错误），2 秒后自动重启（第 2 次）");
    expect(statusReasonText(restarting, statusMessages.en, now)).toBe("The console's data engine stopped unexpectedly (an unhandled program error); restarting it in 2 s (restart 2)");
    expect(describeStatusReason(restarting)).toBe("the console's engine stopped unexpectedly (uncaught_error); restarting it in 2 s (restart 2)");
    const gaveUp = { code: "engine_stopped", error: "exit 3", crashes: 5, windowS: 600 } as const;
    expect(statusReasonText(gaveUp, statusMessages["zh-CN"], now)).toBe("控制台数据引擎 10 分钟内崩溃 5 次，已停止自动重启（最后一次：线程退出，代码 3），请重启控制台");
    expect(statusReasonText(gaveUp, statusMessages.en, now)).toBe("The console's data engine crashed 5 times within 10 min and is no longer restarted (last: thread exited with code 3); restart the console");
    expect(describeStatusReason(gaveUp)).toMatch(/crashed 5 times within 10 min and is no longer restarted/);
  });

  it("words each of the supervisor's crash causes; a cause it does not know is shown as given", () => {
    const zh = statusMessages["zh-CN"];
    expect(["out_of_memory", "uncaught_error", "terminated", "start_timeout", "start_failed", "exit 1", "exit -1"].map((cause) => engineCauseText(cause, zh))).toEqual([
      "内存耗尽",
      "未处理的程序错误",
      "线程被终止",
      "重启后未能按时启动",
      "重启后启动失败",
      "线程退出，代码 1",
      "线程退出，代码 -1",
    ]);
    expect(engineCauseText("out_of_memory", statusMessages.en)).toBe("out of memory");
    expect(engineCauseText("start_timeout", statusMessages.en)).toBe("did not start in time after a restart");
    expect(engineCauseText("something else", zh)).toBe("something else");
  });

  it("keeps an English line for logs", () => {
    expect(describeStatusReason({ code: "token_refused", retryAt: "2026-11-23T02:01:00.000Z" })).toMatch(/token/);
    expect(describeStatusReason({ code: "no_heartbeat", seconds: 15 })).toBe("no heartbeat for 15 s; the feed may be stuck");
  });
});
