using System.Buffers.Binary;
using System.Net.Sockets;

namespace Freshet.Bench.Scale;

/// <summary>
/// Memory of idle connections: the broker's RSS before, then --count connections that each complete one ApiVersions
/// exchange (so the broker has set up everything a client connection gets) and then stay open doing nothing.
/// </summary>
internal static class IdleConnectionsProbe
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var endpoint = args.Get("bootstrap").Split(':');
        var pid = args.GetInt("pid", 0);
        var count = args.GetInt("count", 1000);
        await Task.Delay(2000);
        var before = ProcessMemory.RssKb(pid);
        var sockets = new List<Socket>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(endpoint[0], int.Parse(endpoint[1], System.Globalization.CultureInfo.InvariantCulture));
                await ApiVersionsAsync(socket, i);
                sockets.Add(socket);
            }

            await Task.Delay(3000);
            var after = ProcessMemory.RssKb(pid);
            Console.WriteLine($"idle_connections {count} connections");
            Console.WriteLine($"idle_connections_rss_before {before / 1024.0:F1} MB");
            Console.WriteLine($"idle_connections_rss_after {after / 1024.0:F1} MB");
            Console.WriteLine($"idle_connections_cost {(after - before) / 1024.0:F1} MB");
            Console.WriteLine($"idle_connection_each {(after - before) * 1024.0 / count / 1024:F1} KB");
        }
        finally
        {
            foreach (var socket in sockets)
                socket.Dispose();
        }

        return 0;
    }

    // ApiVersions v0: size, api key 18, version 0, correlation id, client id "scale".
    private static async Task ApiVersionsAsync(Socket socket, int correlationId)
    {
        var request = new byte[4 + 2 + 2 + 4 + 2 + 5];
        BinaryPrimitives.WriteInt32BigEndian(request, request.Length - 4);
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(4), 18);
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(8), correlationId);
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(12), 5);
        "scale"u8.CopyTo(request.AsSpan(14));
        await socket.SendAsync(request);
        var size = new byte[4];
        await ReceiveExactlyAsync(socket, size);
        await ReceiveExactlyAsync(socket, new byte[BinaryPrimitives.ReadInt32BigEndian(size)]);
    }

    private static async Task ReceiveExactlyAsync(Socket socket, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read));
            if (n == 0)
                throw new IOException("connection closed by the broker");
            read += n;
        }
    }
}
