import net from "node:net";

/**
 * A TCP relay in front of a PostgreSQL that cuts connections (a reset, as a database going away
 * mid-answer does) at the moments a fault test chooses: all of them at once, or each new one when
 * the driver sends its first statement, postgres.js's array-type lookup.
 */
export async function startConnectionCutter(databaseUrl: string) {
  const target = new URL(databaseUrl);
  const open = new Set<{ client: net.Socket; database: net.Socket }>();
  let cuttingLookups = false;
  let lookupsCut = 0;

  const cut = (pair: { client: net.Socket; database: net.Socket }) => {
    open.delete(pair);
    pair.client.resetAndDestroy();
    pair.database.destroy();
  };

  const server = net.createServer((client) => {
    const database = net.connect(Number(target.port), target.hostname);
    const pair = { client, database };
    open.add(pair);
    client.on("data", (chunk: Buffer) => {
      if (cuttingLookups && chunk.includes("pg_catalog.pg_type a")) {
        lookupsCut++;
        return cut(pair);
      }
      database.write(chunk);
    });
    database.on("data", (chunk: Buffer) => client.write(chunk));
    const gone = () => {
      open.delete(pair);
      client.destroy();
      database.destroy();
    };
    for (const socket of [client, database]) socket.on("error", gone).on("close", gone);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(databaseUrl);
  url.port = String((server.address() as net.AddressInfo).port);

  return {
    /** The database's URL through the relay. */
    url: url.toString(),
    /** From now on (or no more), every connection is cut as the driver looks up its types. */
    cutTypeLookups(on: boolean) {
      cuttingLookups = on;
    },
    /** Cuts every open connection: the driver reconnects, and looks its types up again. */
    cutAll() {
      for (const pair of [...open]) cut(pair);
    },
    lookupsCut: () => lookupsCut,
    stop: () => {
      for (const pair of [...open]) cut(pair);
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
