using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Messages;

public static partial class ApiCatalog
{
    /// <summary>The spec of a key the catalog is known to hold (every <see cref="ApiKey"/> member).</summary>
    public static ApiSpec Get(ApiKey key) =>
        TryGet((short)key, out var spec) ? spec : throw new ArgumentOutOfRangeException(nameof(key), key, "Not an API of the catalog.");

    private static void CheckVersion(ApiKey key, short version, short lowest, short highest)
    {
        if (version < lowest || version > highest)
        {
            throw new MalformedMessageException($"{key} version {version} is outside {lowest}-{highest}.");
        }
    }
}
