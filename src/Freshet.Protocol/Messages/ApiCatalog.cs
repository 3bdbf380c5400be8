using Freshet.Protocol.Primitives;

namespace Freshet.Protocol.Messages;

public static partial class ApiCatalog
{
    private static void CheckVersion(ApiKey key, short version, short lowest, short highest)
    {
        if (version < lowest || version > highest)
        {
            throw new MalformedMessageException($"{key} version {version} is outside {lowest}-{highest}.");
        }
    }
}
