namespace Freshet.Server;

internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The broker failed at run time (a port in use, a disk error).</summary>
    public const int Failure = 1;

    /// <summary>The command line or the configuration is wrong; nothing was started.</summary>
    public const int Usage = 2;
}
