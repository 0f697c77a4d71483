using System.Net.Sockets;
using System.Text;

namespace Bff.Testing;

/// <summary>An HTTP/1.1 response read off the wire.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>
/// Sends one HTTP/1.1 request over a plain socket, byte for byte: the request target and Host header reach the
/// server exactly as written (HttpClient would normalise %2e%2e, dot segments and Host).
/// </summary>
public static class RawHttp
{
    public static async Task<RawResponse> SendAsync(
        int port, string method, string target, IEnumerable<KeyValuePair<string, string>>? headers = null,
        string? host = null, string? body = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cts.Token);
        var stream = client.GetStream();
        var request = new StringBuilder();
        request.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        request.Append("Host: ").Append(host ?? $"127.0.0.1:{port}").Append("\r\n");
        var bodyBytes = body is null ? null : Encoding.UTF8.GetBytes(body);
        foreach (var (name, value) in headers ?? [])
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        if (bodyBytes is not null) request.Append("Content-Length: ").Append(bodyBytes.Length).Append("\r\n");
        request.Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), cts.Token);
        if (bodyBytes is not null) await stream.WriteAsync(bodyBytes, cts.Token);

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cts.Token);
        return Parse(buffer.ToArray());
    }

    /// <summary>Sends <paramref name="request"/> exactly as written (framing included) and reads the answer until
    /// the server closes the connection or <paramref name="timeout"/> passes.</summary>
    public static async Task<RawResponse> SendRawAsync(int port, string request, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), cts.Token);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cts.Token)) > 0) buffer.Write(chunk, 0, read);
        }
        catch (IOException) when (buffer.Length > 0)
        {
            // The server answered and reset the connection (it does not read a refused request's rest).
        }
        return Parse(buffer.ToArray());
    }

    private static RawResponse Parse(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) throw new InvalidOperationException($"Incomplete HTTP response: '{text}'");
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
        }
        var body = text[(end + 4)..];
        if (headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            body = Dechunk(body);
        return new RawResponse(status, headers, body);
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0) break;
            var size = Convert.ToInt32(body[position..lineEnd].Split(';')[0], 16);
            if (size == 0) break;
            result.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
        return result.ToString();
    }
}
