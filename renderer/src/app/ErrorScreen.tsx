/**
 * Shown full screen when the console cannot reach its engine at all. It has
 * no store behind it, so both languages are on screen at once.
 */
export function ErrorScreen({ detail }: { detail: string }) {
  return (
    <div className="error-screen" role="alert" data-testid="bridge-error">
      <div className="error-screen__icon" aria-hidden="true">
        ✕
      </div>
      <h1>无法连接控制台引擎</h1>
      <p className="error-screen__en">Cannot connect to the console engine</p>
      <p>请检查控制台服务是否已启动，然后重新加载。</p>
      <p className="error-screen__en">Check that the console service is running, then reload.</p>
      <pre className="error-screen__detail">{detail}</pre>
      <button type="button" className="button button--primary" onClick={() => window.location.reload()}>
        重新加载 / Reload
      </button>
    </div>
  );
}

/**
 * Shown while the wall reaches its engine; no store exists yet, so both languages at once. `restarting`: the engine answered
 * that it is restarting (./boot-loop.ts), and the page asks again in `inS` seconds.
 */
export function ConnectingScreen({ restarting }: { restarting?: { inS: number; attempt: number } }) {
  return (
    <div className="error-screen" role="status" data-testid="bridge-connecting" data-restarting={restarting !== undefined}>
      <div className="error-screen__icon error-screen__icon--waiting" aria-hidden="true">
        ◌
      </div>
      <h1>正在连接控制台引擎…</h1>
      <p className="error-screen__en">Connecting to the console engine…</p>
      {restarting && (
        <>
          <p>控制台数据引擎正在自动重启，{restarting.inS} 秒后再次连接（第 {restarting.attempt} 次）。</p>
          <p className="error-screen__en">
            The console&apos;s data engine is restarting; connecting again in {restarting.inS} s (try {restarting.attempt}).
          </p>
        </>
      )}
    </div>
  );
}
