using Freshet.Server.Cli;

namespace Freshet.Server;

internal static class Program
{
    private static Task<int> Main(string[] args) => FreshetCli.RunAsync(args);
}
