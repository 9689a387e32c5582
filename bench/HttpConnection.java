import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection of the benchmark clients (not a test; {@code WriteLoad}, {@code Probe}): a
 * request written in one go on a blocking socket, the answer read to the end of its Content-Length or last chunk.
 * Speaking HTTP itself keeps a client's share of the CPU that it shares with the nodes it measures small: the JDK's
 * HttpClient took about a core of this 2-core machine for ~1,000 requests/s (a selector thread and asynchronous
 * stages per client). After an answer that ends the connection ({@link #closed}), open a new one.
 */
final class HttpConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String hostAndPort;
    private final String auth;
    /** The server ends the connection after the last answer (HTTP/1.0, "Connection: close" or a body to the end). */
    boolean closed;
    private byte[] body = new byte[0];

    /** Connects to the host and port of {@code uri}; {@code auth} is the Authorization header's value, or null. */
    HttpConnection(URI uri, String auth, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(uri.getHost(), port), connectTimeoutMillis);
            socket.setSoTimeout(readTimeoutMillis); // a node that hangs fails the request instead of the run
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 8192);
            out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        } catch (IOException e) {
            close();
            throw e;
        }
        this.hostAndPort = uri.getHost() + ":" + port;
        this.auth = auth;
    }

    /** The body of the last answer, when it was kept ({@code keepBody}); empty otherwise, or after a failure. */
    byte[] body() {
        return body;
    }

    /**
     * Sends one request (with a JSON body when {@code requestBody} is not null) and reads its whole answer, keeping
     * its body for {@link #body()} only when {@code keepBody}; returns the status. GET and POST only (an answer to
     * HEAD would have no body to read).
     */
    int send(String method, String pathAndQuery, byte[] requestBody, boolean keepBody) throws IOException {
        if (!method.equals("GET") && !method.equals("POST")) {
            throw new IllegalArgumentException("GET or POST, not " + method);
        }
        body = new byte[0];
        StringBuilder head = new StringBuilder(160).append(method).append(' ').append(pathAndQuery)
                .append(" HTTP/1.1\r\nHost: ").append(hostAndPort).append("\r\nAccept: application/json\r\n");
        if (auth != null) {
            head.append("Authorization: ").append(auth).append("\r\n");
        }
        if (requestBody != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(requestBody.length).append("\r\n");
        } else if (method.equals("POST")) {
            head.append("Content-Length: 0\r\n"); // no body, and no type
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        if (requestBody != null) {
            out.write(requestBody);
        }
        out.flush();
        String statusLine;
        int status;
        boolean http10;
        do { // 1xx answers come before the final one
            statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            http10 = parts[0].equals("HTTP/1.0");
            status = Integer.parseInt(parts[1]);
            if (status / 100 == 1) {
                for (String h = line(); !h.isEmpty(); h = line()) {
                    // headers of an interim answer
                }
            }
        } while (status / 100 == 1);
        closed = http10;
        long length = -1;
        boolean chunked = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> {
                    String tokens = "," + value.toLowerCase(Locale.ROOT).replace(" ", "") + ",";
                    closed = tokens.contains(",close,") || (http10 && !tokens.contains(",keep-alive,"));
                }
                default -> { }
            }
        }
        ByteArrayOutputStream answer = keepBody ? new ByteArrayOutputStream() : null;
        if (chunked) {
            for (long size = chunkSize(); size > 0; size = chunkSize()) {
                copy(size, answer);
                line();
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers: none expected, read past them
            }
        } else if (length > 0) {
            copy(length, answer);
        } else if (length < 0 && status != 204 && status != 304) {
            closed = true; // the body runs to the end of the connection: not kept alive
        }
        if (answer != null) {
            body = answer.toByteArray();
        }
        return status;
    }

    private long chunkSize() throws IOException {
        return Long.parseLong(line().split(";", 2)[0].trim(), 16);
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** Reads n bytes of the answer into {@code to}, or past them when it is null. */
    private void copy(long n, ByteArrayOutputStream to) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        while (n > 0) {
            int k = in.read(buf, 0, (int) Math.min(n, buf.length));
            if (k < 0) {
                throw new EOFException("connection closed within an answer");
            }
            if (to != null) {
                to.write(buf, 0, k);
            }
            n -= k;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }
}
