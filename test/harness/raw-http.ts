import { connect } from "node:net";

export type RawResponse = { status: number; head: string; body: string };

/**
 * Sends `text` as it is over a TCP socket and reads the answer. fetch cannot send what these
 * tests need (a Host of its choosing, two Hosts, none, an absolute-form target). A streaming
 * answer (the live feed) never ends: after `settleMs` past its headers, what came is returned.
 */
export function rawHttp(url: string, text: string, settleMs = 1_500): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let data = "";
    let settle: Timer | undefined;
    const finish = () => {
      clearTimeout(settle);
      socket.destroy();
      const [head = "", ...rest] = data.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: rest.join("\r\n\r\n") });
    };
    const socket = connect(Number(port), hostname, () => socket.write(text));
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      data += chunk;
      if (!settle && data.includes("\r\n\r\n")) settle = setTimeout(finish, settleMs);
    });
    socket.on("end", finish);
    socket.on("close", finish);
    socket.on("error", (error) => (data ? finish() : reject(error)));
  });
}

/** A request in origin form with the given header lines (each "Name: value"), connection closed after. */
export function requestText(method: string, target: string, headers: string[], body = ""): string {
  const lines = [`${method} ${target} HTTP/1.1`, ...headers];
  if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  lines.push("Connection: close");
  return `${lines.join("\r\n")}\r\n\r\n${body}`;
}
