using System.Buffers;

namespace Freshet.Protocol.Primitives;

/// <summary>
/// Bytes that live outside managed memory, such as a range of a segment file, presented as
/// <see cref="Memory{T}"/> so that a message field can carry them. An output that can send them by reference
/// (<see cref="ISpliceOutput"/>) takes them without reading them; anything else asks for the span, which
/// materialises them once into a buffer the instance owns until it is disposed.
/// </summary>
public abstract class DeferredBytes : MemoryManager<byte>
{
    /// <summary>How many bytes the instance stands for; its memory has this length.</summary>
    public abstract int Length { get; }

    public override Memory<byte> Memory => CreateMemory(Length);

    /// <summary>Pins the materialised buffer; the handle it returns unpins itself.</summary>
    public override MemoryHandle Pin(int elementIndex = 0) => Materialise()[elementIndex..].Pin();

    public override void Unpin()
    {
    }

    public override Span<byte> GetSpan() => Materialise().Span;

    /// <summary>The bytes in managed memory, read on first use.</summary>
    protected abstract Memory<byte> Materialise();
}

/// <summary>An output (a response frame) that can place <see cref="DeferredBytes"/> into its stream by reference.</summary>
public interface ISpliceOutput
{
    /// <summary>Takes <paramref name="length"/> bytes of <paramref name="source"/> from <paramref name="start"/>; false to have them copied instead.</summary>
    bool TrySplice(DeferredBytes source, int start, int length);
}
