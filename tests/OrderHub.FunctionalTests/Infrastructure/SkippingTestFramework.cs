using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("OrderHub.FunctionalTests.Infrastructure.SkippingTestFramework", "OrderHub.FunctionalTests")]

namespace OrderHub.FunctionalTests.Infrastructure;

/// <summary>Marks a test class that needs a SQL Server (see <see cref="SqlServerServer"/>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresSqlServerAttribute : Attribute;

/// <summary>
/// xUnit's own framework, except that where no SQL Server is available every test of a class marked
/// <see cref="RequiresSqlServerAttribute"/> is discovered as skipped, with the reason, instead of failing or
/// silently passing: the runner's summary counts it under "Skipped". Such a test costs nothing when skipped.
/// </summary>
public sealed class SkippingTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (SqlServerServer.SkipReason is not { } reason
                || !testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresSqlServerAttribute)).Any()
                || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }

            var skipped = new XunitSkippedDataRowTestCase(
                DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }
    }
}
