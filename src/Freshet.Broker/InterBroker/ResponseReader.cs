using Freshet.Protocol.Primitives;

namespace Freshet.Broker.InterBroker;

/// <summary>Decodes a response body at a version; the generated <c>XResponse.Read</c> methods fit it.</summary>
internal delegate T ResponseReader<T>(ref KafkaReader reader, short version);
