using BenchmarkDotNet.Running;
using PerfReference.DurableWrites.Benchmarks;

// dotnet run -c Release --project bench/DurableWrites.Benchmarks -- --filter '*' --artifacts bench/DurableWrites.Benchmarks/results
BenchmarkSwitcher.FromAssembly(typeof(DurableWriteBenchmarks).Assembly).Run(args);
