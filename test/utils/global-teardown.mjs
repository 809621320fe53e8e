export default async function globalTeardown() {
  await globalThis.parleyTestRedis?.dispose();
}
