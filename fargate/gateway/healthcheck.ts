/**
 * Container health check (ECS `CMD node fargate/gateway/healthcheck.js`): exit 0 iff the bridge's
 * loopback endpoint says the broker is logged in and answering. Kept free of imports beyond Node.
 */
const port = Number(process.env['TRADEOPS_BRIDGE_HEALTH_PORT'] ?? 8081);
const controller = new AbortController();
setTimeout(() => controller.abort(), 5_000).unref();
fetch(`http://127.0.0.1:${port}/health`, { signal: controller.signal })
  .then((res) => process.exit(res.status === 200 ? 0 : 1))
  .catch(() => process.exit(1));
