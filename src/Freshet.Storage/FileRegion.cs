using Microsoft.Win32.SafeHandles;

namespace Freshet.Storage;

/// <summary>
/// A byte range of a segment file: what a fetch sends. Reading goes through <see cref="RandomAccess"/> (pread),
/// so regions may be read concurrently with appends; the range lies below the segment's published size, so its
/// bytes never change. A sender can later hand <see cref="Handle"/>, <see cref="Position"/> and
/// <see cref="Length"/> to sendfile. The handle belongs to the segment: a region read after its log was
/// deleted throws <see cref="ObjectDisposedException"/>.
/// </summary>
public readonly struct FileRegion : IEquatable<FileRegion>
{
    public static readonly FileRegion Empty;

    public readonly SafeFileHandle? Handle;
    public readonly long Position;
    public readonly int Length;

    public FileRegion(SafeFileHandle handle, long position, int length)
    {
        Handle = handle;
        Position = position;
        Length = length;
    }

    public bool IsEmpty => Length == 0;

    /// <summary>Copies the region into <paramref name="destination"/> (at most its length); returns the bytes copied.</summary>
    public int CopyTo(Span<byte> destination)
    {
        if (Length == 0 || Handle is null)
        {
            return 0;
        }
        var target = destination[..Math.Min(destination.Length, Length)];
        var copied = 0;
        while (copied < target.Length)
        {
            var read = RandomAccess.Read(Handle, target[copied..], Position + copied);
            if (read == 0)
            {
                throw new EndOfStreamException($"The segment ended {target.Length - copied} bytes before the region did.");
            }
            copied += read;
        }
        return copied;
    }

    /// <summary>Copies the whole region into a new array (tests and small reads).</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    public bool Equals(FileRegion other) => Handle == other.Handle && Position == other.Position && Length == other.Length;

    public override bool Equals(object? obj) => obj is FileRegion other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Handle, Position, Length);

    public static bool operator ==(FileRegion left, FileRegion right) => left.Equals(right);

    public static bool operator !=(FileRegion left, FileRegion right) => !left.Equals(right);
}
