namespace Freshet.Protocol.Primitives;

/// <summary>
/// Bytes that do not form a valid message: truncated, a length that points past the end,
/// or a count that could not fit in what remains. Callers map it to CORRUPT_MESSAGE or
/// INVALID_REQUEST, or close the connection; it is never a sign of a broker bug.
/// </summary>
public sealed class MalformedMessageException(string message) : Exception(message)
{
    public static MalformedMessageException Truncated(int needed, int remaining) =>
        new($"Message truncated: needed {needed} more byte(s) but only {remaining} remain.");
}
