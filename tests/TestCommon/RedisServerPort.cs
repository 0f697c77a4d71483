using System.Net;
using System.Net.Sockets;

namespace Bff.Testing;

/// <summary>Waits (up to 10 s) until a server started by a test accepts connections on a loopback port.</summary>
public static class RedisServerPort
{
    public static async Task WaitAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(25);
            }
        }
    }
}
