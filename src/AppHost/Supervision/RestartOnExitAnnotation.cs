using Aspire.Hosting.ApplicationModel;

namespace PerfReference.AppHost.Supervision;

/// <summary>Marks a resource whose instances the <see cref="RestartSupervisor"/> starts again when they exit on their own.</summary>
public sealed class RestartOnExitAnnotation : IResourceAnnotation;
