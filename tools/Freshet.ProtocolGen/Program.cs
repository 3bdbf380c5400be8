namespace Freshet.ProtocolGen; internal static class Program { private static int Main(string[] args) => args.Length; }
