using System.Diagnostics.CodeAnalysis;

namespace Freshet.Protocol.Primitives;

// Throws live out of line so the readers' hot paths stay small enough to inline.
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void Truncated(int needed, int remaining) =>
        throw MalformedMessageException.Truncated(needed, remaining);

    [DoesNotReturn]
    public static void Malformed(string message) => throw new MalformedMessageException(message);
}
