using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Freshet.Protocol.Primitives;
using Microsoft.Win32.SafeHandles;

namespace Freshet.Storage;

/// <summary>
/// A <see cref="FileRegion"/> as the records of a fetch response: a sender that can splice sends it straight from
/// the segment file (sendfile), any other reads it once into a pooled buffer. While an instance lives, the
/// segment's file stays open even if retention deletes the segment and file.delete.delay.ms passes: it holds a
/// reference on the segment's handle and reads through a handle of its own that does not own the descriptor.
/// Dispose it once the response has left.
/// </summary>
public sealed class FileRegionBytes : DeferredBytes
{
    private readonly SafeFileHandle _owner;
    private readonly FileRegion _region;
    private SafeFileHandle? _borrowed;
    private FileStream? _stream;
    private byte[]? _copy;

    private FileRegionBytes(SafeFileHandle owner, FileRegion region)
    {
        _owner = owner;
        _region = region;
        _borrowed = new SafeFileHandle(owner.DangerousGetHandle(), ownsHandle: false);
    }

    /// <summary>
    /// Keeps the region's file open for the life of the result. False when the segment's file is closed already
    /// (its segment was deleted and the delay passed): its offsets are below the log start now.
    /// </summary>
    public static bool TryBorrow(FileRegion region, [NotNullWhen(true)] out FileRegionBytes? bytes)
    {
        bytes = null;
        var owner = region.Handle ?? throw new ArgumentException("An empty region has no file to borrow.", nameof(region));
        var added = false;
        try
        {
            owner.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        bytes = new FileRegionBytes(owner, region);
        return true;
    }

    public override int Length => _region.Length;

    /// <summary>Where the bytes start in the file.</summary>
    public long Position => _region.Position;

    /// <summary>
    /// The file as a stream for <c>Socket.SendPacketsAsync</c>, which hands its descriptor to sendfile with an
    /// explicit offset (the stream's own position is never used). SendPacketsElement takes only streams opened for
    /// asynchronous I/O. A segment's log is opened that way (<see cref="IO.FileIo.OpenSegmentLog"/>), so one stream
    /// over the segment's own handle is made the first time the segment is sent from and shared by every send after
    /// it (<see cref="SendStreams"/>): no open and close per region. Any other handle (one adopted from a descriptor
    /// is never asynchronous) is reopened through /proc/self/fd (Linux): the same inode, even after the segment was
    /// renamed or unlinked, under a descriptor of its own that this instance closes.
    /// </summary>
    /// <remarks>
    /// False when the file cannot be reopened (no /proc); the caller copies the bytes instead. A segment that closes
    /// its handle while this instance lives does not close the descriptor: the reference taken in
    /// <see cref="TryBorrow"/> keeps it open, so the shared stream still sends until this instance is disposed.
    /// </remarks>
    public bool TryGetStream([NotNullWhen(true)] out FileStream? stream)
    {
        ObjectDisposedException.ThrowIf(_borrowed is null, this);
        if (_owner.IsAsync)
        {
            stream = SendStreams.GetValue(_owner, NewSendStream);
            return true;
        }
        if (_stream is null)
        {
            try
            {
                var path = $"/proc/self/fd/{_borrowed.DangerousGetHandle()}";
                var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
                _stream = new FileStream(handle, FileAccess.Read, bufferSize: 0, isAsync: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stream = null;
                return false;
            }
        }
        stream = _stream;
        return true;
    }

    /// <summary>
    /// The shared send stream of each open segment handle, kept exactly as long as the handle object: the segment
    /// owns the handle and closes it; the stream is never disposed, and becomes garbage together with the handle.
    /// </summary>
    private static readonly ConditionalWeakTable<SafeFileHandle, FileStream> SendStreams = new();

    private static FileStream NewSendStream(SafeFileHandle handle) => new(handle, FileAccess.Read, bufferSize: 0, isAsync: true);

    protected override Memory<byte> Materialise()
    {
        ObjectDisposedException.ThrowIf(_borrowed is null, this);
        if (_copy is null)
        {
            var copy = ArrayPool<byte>.Shared.Rent(Math.Max(1, _region.Length));
            new FileRegion(_borrowed, _region.Position, _region.Length).CopyTo(copy);
            _copy = copy;
        }
        return _copy.AsMemory(0, _region.Length);
    }

    protected override void Dispose(bool disposing)
    {
        var borrowed = Interlocked.Exchange(ref _borrowed, null);
        if (borrowed is null)
        {
            return;
        }
        _stream?.Dispose();
        borrowed.Dispose();
        _owner.DangerousRelease();
        if (_copy is { } copy)
        {
            _copy = null;
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}
