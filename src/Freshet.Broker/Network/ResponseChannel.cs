using System.Net.Sockets;

namespace Freshet.Broker.Network;

/// <summary>
/// Sends whole response frames on a connection. Only the connection's own loop writes, one response at a time and
/// each to its end before the next, which is what keeps responses in request order. On a plaintext connection a
/// frame's record regions go from the segment files to the socket with sendfile (<see cref="SendsFromFiles"/>);
/// a connection that transforms its bytes (TLS) sends everything from memory.
/// </summary>
internal sealed class ResponseChannel(Socket socket, bool sendsFromFiles) : IDisposable
{
    private SendPacketsOperation? _sendPackets;

    /// <summary>Whether record data may be spliced in from segment files rather than copied into the frame.</summary>
    public bool SendsFromFiles { get; } = sendsFromFiles;

    /// <summary>Frames sent with at least one region from a file, and the bytes that took that path.</summary>
    public long SplicedFrames { get; private set; }

    public long SplicedBytes { get; private set; }

    public ValueTask SendAsync(ResponseFrame frame, CancellationToken cancellationToken) =>
        frame.Splices.Count == 0 ? SendAsync(frame.Buffer, cancellationToken) : SendSplicedAsync(frame);

    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        while (!frame.IsEmpty)
        {
            var sent = await socket.SendAsync(frame, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            frame = frame[sent..];
        }
    }

    /// <summary>
    /// The buffer's bytes and the file regions, interleaved, as one send-packets operation. Closing the connection
    /// disposes the socket, which aborts a send in progress.
    /// </summary>
    private async ValueTask SendSplicedAsync(ResponseFrame frame)
    {
        var splices = frame.Splices;
        var elements = new List<SendPacketsElement>((2 * splices.Count) + 1);
        var buffer = frame.Buffer;
        var position = 0;
        foreach (var splice in splices)
        {
            if (splice.BufferPosition > position)
            {
                elements.Add(new SendPacketsElement(buffer[position..splice.BufferPosition]));
            }
            elements.Add(new SendPacketsElement(splice.File, splice.FilePosition, splice.Length));
            position = splice.BufferPosition;
            SplicedBytes += splice.Length;
        }
        if (position < buffer.Length)
        {
            elements.Add(new SendPacketsElement(buffer[position..]));
        }
        SplicedFrames++;
        _sendPackets ??= new SendPacketsOperation();
        await _sendPackets.SendAsync(socket, [.. elements]).ConfigureAwait(false);
    }

    public void Dispose() => _sendPackets?.Dispose();
}
