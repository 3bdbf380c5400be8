using System.Buffers;
using System.Buffers.Binary;
using Freshet.Protocol.Framing;
using Freshet.Protocol.Primitives;
using Freshet.Storage;

namespace Freshet.Broker.Network;

/// <summary>
/// One encoded response frame: the bytes the encoder wrote, in a pooled buffer, and — when the connection sends
/// from files (plaintext) — the record regions that go between them straight from the segment files. A region
/// spliced at buffer position p is sent after the buffer's bytes before p and before those from p on.
/// </summary>
internal sealed class ResponseFrame(int initialCapacity, bool spliceFiles) : IBufferWriter<byte>, ISpliceOutput, IDisposable
{
    /// <summary>
    /// Smaller regions are copied: a copy of a few KiB costs less than the extra system calls (a send before and
    /// after each sendfile) that splicing them takes.
    /// </summary>
    public const int MinimumSpliceBytes = 16 * 1024;

    private readonly PooledBufferWriter _buffer = new(initialCapacity);
    private List<Splice>? _splices;
    private long _splicedBytes;

    /// <summary>The bytes written into the buffer, without the spliced regions.</summary>
    public ReadOnlyMemory<byte> Buffer => _buffer.WrittenMemory;

    /// <summary>The regions to send from files, in frame order; empty when everything is in <see cref="Buffer"/>.</summary>
    public IReadOnlyList<Splice> Splices => (IReadOnlyList<Splice>?)_splices ?? [];

    /// <summary>The frame's size on the wire, size prefix included.</summary>
    public long Length => _buffer.WrittenCount + _splicedBytes;

    /// <summary>Writes the frame's size prefix, now that the body is complete.</summary>
    public void PatchSizePrefix() =>
        BinaryPrimitives.WriteInt32BigEndian(_buffer.WrittenSpanForPatch, checked((int)(Length - FrameDecoder.SizePrefixLength)));

    public bool TrySplice(DeferredBytes source, int start, int length)
    {
        if (!spliceFiles || source is not FileRegionBytes file || length < MinimumSpliceBytes || !file.TryGetStream(out var stream))
        {
            return false;
        }
        (_splices ??= []).Add(new Splice(_buffer.WrittenCount, stream, file.Position + start, length));
        _splicedBytes += length;
        return true;
    }

    public void Advance(int count) => _buffer.Advance(count);

    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.GetSpan(sizeHint);

    public void Dispose() => _buffer.Dispose();

    /// <summary><paramref name="Length"/> bytes of <paramref name="File"/> from <paramref name="FilePosition"/>, sent at buffer position <paramref name="BufferPosition"/>.</summary>
    public readonly record struct Splice(int BufferPosition, FileStream File, long FilePosition, int Length);
}
