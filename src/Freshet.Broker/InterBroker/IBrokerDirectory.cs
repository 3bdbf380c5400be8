namespace Freshet.Broker.InterBroker;

/// <summary>Where the other brokers of the cluster listen, as the metadata image registers them.</summary>
internal interface IBrokerDirectory
{
    int LocalBrokerId { get; }

    /// <summary>The broker's inter-broker endpoint; false when it is not registered (or fenced out of the image).</summary>
    bool TryGetEndpoint(int brokerId, out string host, out int port);
}
