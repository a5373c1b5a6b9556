import { describe, expect, it } from "vitest";
import { SocketBacklog } from "./backlog.js";

const limits = { maxPushedBytes: 100, positionsBytes: 40, maxReplyBytes: 1_000 };

describe("socket backlog policy", () => {
  it("never counts replies against the push limit, however large", () => {
    const backlog = new SocketBacklog(limits);
    backlog.replySent(50_000);
    expect(backlog.admitPush("event", 30)).toBe("send");
    expect(backlog.admitPush("event", 30)).toBe("send");
    expect(backlog.isBehind).toBe(false);
  });

  it("stops reading calls while unwritten replies exceed their limit, and reads again once they drain", () => {
    const backlog = new SocketBacklog(limits);
    expect(backlog.replySent(600)).toBe(false);
    expect(backlog.replySent(600)).toBe(true);
    expect(backlog.replyWritten(600)).toBe(true);
    expect(backlog.replyBytes).toBe(600);
  });

  it("skips positions past their own limit without putting the socket behind", () => {
    const backlog = new SocketBacklog(limits);
    expect(backlog.admitPush("positions", 30)).toBe("send");
    expect(backlog.admitPush("positions", 30)).toBe("drop");
    expect(backlog.isBehind).toBe(false);
    expect(backlog.pushWritten(30)).toBe(false);
    expect(backlog.admitPush("positions", 30)).toBe("send");
  });

  it("drops pushed events past the limit, then asks for one resync once everything pushed before has been written", () => {
    const backlog = new SocketBacklog(limits);
    expect(backlog.admitPush("event", 60)).toBe("send");
    expect(backlog.admitPush("event", 30)).toBe("send");
    expect(backlog.admitPush("event", 30)).toBe("drop");
    expect(backlog.isBehind).toBe(true);
    // Behind: even small events and positions are dropped; the resync will bring them.
    expect(backlog.admitPush("event", 1)).toBe("drop");
    expect(backlog.admitPush("positions", 1)).toBe("drop");
    expect(backlog.pushWritten(60)).toBe(false);
    expect(backlog.pushWritten(30)).toBe(true);
    expect(backlog.isBehind).toBe(false);
    expect(backlog.pushedBytes).toBe(0);
    expect(backlog.pushWritten(0)).toBe(false);
    expect(backlog.admitPush("event", 30)).toBe("send");
  });

  it("sends one pushed message larger than the limit when nothing else is pending", () => {
    const backlog = new SocketBacklog(limits);
    expect(backlog.admitPush("event", 500)).toBe("send");
    expect(backlog.admitPush("event", 1)).toBe("drop");
    expect(backlog.pushWritten(500)).toBe(true);
  });
});
