using System.Text.Json;
using System.Text.Json.Serialization;

namespace PerfReference.LoadLab.Results;

/// <summary>Every kind of result file the lab writes and reads, source-generated (no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(RunResult))]
[JsonSerializable(typeof(CapacityResult))]
[JsonSerializable(typeof(SweepResult))]
[JsonSerializable(typeof(CeilingResult))]
[JsonSerializable(typeof(DrillResult))]
[JsonSerializable(typeof(OverloadResult))]
[JsonSerializable(typeof(ProxyCostResult))]
[JsonSerializable(typeof(RunTraces))]
[JsonSerializable(typeof(double?))]
public sealed partial class ResultJsonContext : JsonSerializerContext;
