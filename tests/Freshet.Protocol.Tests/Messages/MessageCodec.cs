using System.Reflection;
using System.Runtime.ExceptionServices;
using Freshet.Protocol.Messages;
using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Tests.Messages;

/// <summary>Reflection access to the generated static Read methods.</summary>
internal static class MessageCodec
{
    public static byte[] Encode(IMessage message, short version)
    {
        using var buffer = new PooledBufferWriter();
        message.Write(new KafkaWriter(buffer), version);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes and returns the message and the bytes it consumed; rethrows the codec's own exception.</summary>
    public static (IMessage Message, int Consumed) Decode(Type type, byte[] bytes, short version)
    {
        var read = type.GetMethod("Read", BindingFlags.Public | BindingFlags.Static)!;
        var args = new object[] { new KafkaReader(bytes), version };
        try
        {
            var message = (IMessage)read.Invoke(null, args)!;
            return (message, ((KafkaReader)args[0]).Position);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
