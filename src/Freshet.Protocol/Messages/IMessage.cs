using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Messages;

/// <summary>A generated message or struct that writes itself for one protocol version.</summary>
public interface IMessage
{
    void Write(KafkaWriter writer, short version);
}

public interface IRequestMessage : IMessage
{
    ApiKey ApiKey { get; }
}

public interface IResponseMessage : IMessage
{
    ApiKey ApiKey { get; }
}
