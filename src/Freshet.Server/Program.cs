namespace Freshet.Server; internal static class Program { private static int Main() => 0; }
