namespace Freshet.Benchmarks; internal static class Program { private static void Main(string[] args) => _ = args; }
