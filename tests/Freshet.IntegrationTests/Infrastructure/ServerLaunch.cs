namespace Freshet.IntegrationTests.Infrastructure;

/// <summary>
/// Where a <c>freshet serve</c> process runs and how it is started: the host clients reach it at, a command that
/// wraps the server's (e.g. <c>ip netns exec &lt;namespace&gt;</c>), and extra <c>serve</c> arguments.
/// </summary>
public sealed record ServerLaunch(string Host, IReadOnlyList<string> CommandPrefix, IReadOnlyList<string> ServeArguments)
{
    public static readonly ServerLaunch Loopback = new("127.0.0.1", [], []);
}
