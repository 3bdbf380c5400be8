namespace Freshet.Protocol.Messages;

/// <summary>
/// One API's request version range and header rules, from the schema. <see cref="ForBroker"/> and
/// <see cref="ForController"/> say which listeners Kafka serves the API on.
/// </summary>
public readonly record struct ApiSpec(
    ApiKey Key,
    string Name,
    short LowestVersion,
    short HighestVersion,
    short FirstFlexibleVersion,
    bool ForBroker,
    bool ForController)
{
    public bool IsSupported(short version) => version >= LowestVersion && version <= HighestVersion;

    public bool IsFlexible(short version) => version >= FirstFlexibleVersion;

    /// <summary>Request header version: 2 when flexible, else 1; ControlledShutdown v0 predates client ids and uses 0.</summary>
    public short RequestHeaderVersion(short version) =>
        Key == ApiKey.ControlledShutdown && version == 0 ? (short)0 : IsFlexible(version) ? (short)2 : (short)1;

    /// <summary>
    /// Response header version: 1 when flexible, else 0. ApiVersions always answers with header 0 so
    /// that a client which sent a version the broker does not know can still read the error.
    /// </summary>
    public short ResponseHeaderVersion(short version) =>
        Key != ApiKey.ApiVersions && IsFlexible(version) ? (short)1 : (short)0;
}
