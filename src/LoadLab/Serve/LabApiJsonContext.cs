using System.Text.Json;
using System.Text.Json.Serialization;
using PerfReference.Topology;

namespace PerfReference.LoadLab.Serve;

/// <summary>The bodies of the serve API (<see cref="LabApi"/>), source-generated (no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RunRequest))]
[JsonSerializable(typeof(RunStatus))]
[JsonSerializable(typeof(DrillRequest))]
[JsonSerializable(typeof(DrillStatus))]
[JsonSerializable(typeof(RecordHeadline[]))]
internal sealed partial class LabApiJsonContext : JsonSerializerContext;
