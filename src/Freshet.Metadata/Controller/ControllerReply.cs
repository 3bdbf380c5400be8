using Freshet.Protocol.Messages;

namespace Freshet.Metadata.Controller;

/// <summary>The answer to an operation that only succeeds or fails.</summary>
public sealed record ControllerReply(ErrorCode Error, string? Message = null)
{
    public static readonly ControllerReply Ok = new(ErrorCode.None);
}
