using System.Xml.Linq;
using KvmPS.Engine.Tuning;
using Xunit;

namespace KvmPS.Engine.Tests;

// One <cpu> for the CPU and NUMA edits: created once, at libvirt's place for it (after
// <features>, else <os>, else before <clock>, the lifecycle actions and <devices>).
public class CpuElementTests
{
    private static string Order(XElement d) => string.Join(",", d.Elements().Select(e => e.Name.LocalName));

    [Theory]
    [InlineData("<os/><features/><clock/><devices/>", "name,os,features,cpu,clock,devices")]
    [InlineData("<os/><clock/><on_poweroff/><devices/>", "name,os,cpu,clock,on_poweroff,devices")]
    [InlineData("<vcpu>2</vcpu><on_reboot/><devices/>", "name,vcpu,cpu,on_reboot,devices")]
    [InlineData("<vcpu>2</vcpu><devices/>", "name,vcpu,cpu,devices")]
    [InlineData("<vcpu>2</vcpu>", "name,vcpu,cpu")]
    public void A_missing_cpu_element_is_created_at_libvirts_place(string children, string order)
    {
        XElement d = XElement.Parse($"<domain><name>t</name>{children}</domain>");
        XElement cpu = CpuXml.GetOrCreateCpuElement(d);
        Assert.Equal(order, Order(d));
        Assert.Same(cpu, d.Element("cpu"));
        // A second call returns the same element and adds nothing.
        Assert.Same(cpu, CpuXml.GetOrCreateCpuElement(d));
        Assert.Single(d.Elements("cpu"));
    }

    [Fact]
    public void An_existing_cpu_element_stays_where_it_is()
    {
        XElement d = XElement.Parse("<domain><name>t</name><os/><features/><devices/><cpu mode='host-model'/></domain>");
        XElement cpu = CpuXml.GetOrCreateCpuElement(d);
        Assert.Equal("host-model", (string?)cpu.Attribute("mode"));
        Assert.Equal("name,os,features,devices,cpu", Order(d));
    }

    [Fact]
    public void Cpu_and_numa_edits_put_a_new_cpu_element_in_the_same_place()
    {
        const string xml = "<domain><name>t</name><memory unit='KiB'>2097152</memory><vcpu>2</vcpu><os><type>hvm</type></os><features><acpi/></features><clock offset='utc'/><devices/></domain>";
        XElement byCpu = XElement.Parse(xml);
        CpuXml.Apply(byCpu, new CpuChange { Mode = KvmCpuMode.HostPassthrough }, "Intel");
        XElement byNuma = XElement.Parse(xml);
        NumaXml.Apply(byNuma, new NumaChange { Cells = new[] { new NumaCellSpec { Cpus = "0" }, new NumaCellSpec { Cpus = "1" } } }, new HashSet<int> { 0 });
        Assert.Equal("name,memory,vcpu,os,features,cpu,clock,devices", Order(byCpu));
        Assert.Equal(Order(byCpu), Order(byNuma));
    }
}
