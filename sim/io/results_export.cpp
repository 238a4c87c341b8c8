#include "io/results_export.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "clusternet/version.hpp"
#include "core/error.hpp"
#include "core/utf8.hpp"
#include "io/csv.hpp"
#include "io/results_writer.hpp"
#include "world/organisation_kind.hpp"

namespace clusternet::io {

namespace {
namespace fs = std::filesystem;

// Text for an XML attribute or element: escaped, control characters other than tab and line
// breaks (not allowed in XML 1.0) made spaces, and invalid UTF-8 replaced so that the document is
// always well formed whatever a region table held.
std::string xml(const std::string& text) {
  const std::string s = utf8_sanitized(text);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::string kind_name(std::uint8_t kind) {
  return kind < org_kind_count ? std::string(org_kind_names[kind]) : "kind_" + std::to_string(kind);
}
std::string origin_name(std::uint8_t origin) {
  static const char* names[] = {"autonomous", "partnership", "exchange"};
  return origin < 3 ? names[origin] : "origin_" + std::to_string(origin);
}

// One vertex of an exported graph: a row of the nodes table, or an edge endpoint the table lacks.
struct GraphNode {
  OrgIndex id = 0;
  const FinalNode* row = nullptr;  // null: not in the nodes table
  std::uint32_t degree = 0;        // ties at the final month, counted from the edges
};

void require_complete(const ReplicateResults& rep, const ExportOptions& options) {
  if (options.all_organisations && !rep.final_nodes_complete)
    throw Error(ErrorInfo{"this result file lists only the organisations that have a tie at the final month (it was "
                          "written before isolated organisations were recorded)",
                          {}, "--all-organisations", "", "rerun the scenario with this clusternet, or export without "
                          "--all-organisations"});
}

// The vertices to write, in organisation order: every row with --all-organisations, otherwise the
// rows with a tie; plus any edge endpoint the table lacks, so the graph file is always well formed.
std::vector<GraphNode> graph_nodes(const ReplicateResults& rep, const ExportOptions& options) {
  require_complete(rep, options);
  std::vector<GraphNode> nodes;
  nodes.reserve(rep.final_nodes.size());
  for (const auto& n : rep.final_nodes) nodes.push_back({n.id, &n, 0});
  std::sort(nodes.begin(), nodes.end(), [](const GraphNode& a, const GraphNode& b) { return a.id < b.id; });
  nodes.erase(std::unique(nodes.begin(), nodes.end(), [](const GraphNode& a, const GraphNode& b) { return a.id == b.id; }),
              nodes.end());
  std::vector<GraphNode> extra;
  const auto find = [&](OrgIndex id) -> GraphNode* {
    const auto it = std::lower_bound(nodes.begin(), nodes.end(), id, [](const GraphNode& n, OrgIndex v) { return n.id < v; });
    return it != nodes.end() && it->id == id ? &*it : nullptr;
  };
  for (const auto& e : rep.final_edges)
    for (OrgIndex id : {e.source, e.target}) {
      if (GraphNode* n = find(id)) ++n->degree;
      else extra.push_back({id, nullptr, 1});
    }
  if (!extra.empty()) {
    std::sort(extra.begin(), extra.end(), [](const GraphNode& a, const GraphNode& b) { return a.id < b.id; });
    std::vector<GraphNode> merged;
    for (const auto& x : extra) {
      if (!merged.empty() && merged.back().id == x.id) ++merged.back().degree;
      else merged.push_back(x);
    }
    nodes.insert(nodes.end(), merged.begin(), merged.end());
    std::sort(nodes.begin(), nodes.end(), [](const GraphNode& a, const GraphNode& b) { return a.id < b.id; });
  }
  if (!options.all_organisations)
    nodes.erase(std::remove_if(nodes.begin(), nodes.end(), [](const GraphNode& n) { return n.degree == 0; }), nodes.end());
  return nodes;
}

// Node attributes as (name, type, value); an empty value means unknown and is not written.
struct Attribute {
  const char* name;
  const char* type;  // "string", "int" or "double" (GraphML names; mapped for GEXF)
  std::string value;
};

std::string number_or_empty(double v) { return std::isfinite(v) ? csv_number(v) : std::string(); }

std::vector<Attribute> node_attributes(const RunResults& r, const ReplicateResults& rep, const GraphNode& n) {
  const FinalNode* row = n.row;
  const RegionRow* region = row && row->region < r.regions.size() ? &r.regions[row->region] : nullptr;
  const bool cluster_known = row && rep.final_nodes_complete;
  return {{"label", "string", std::to_string(n.id)},
          {"kind", "string", row && row->kind != 255 ? kind_name(row->kind) : std::string()},
          {"region", "string", region ? region->nuts_id : std::string()},
          {"region_name", "string", region ? region->name : std::string()},
          {"country", "string", region ? region->country : std::string()},
          {"cohesion", "string", region ? region->category : std::string()},
          {"lon", "double", region ? number_or_empty(region->lon) : std::string()},
          {"lat", "double", region ? number_or_empty(region->lat) : std::string()},
          {"area", "int", row && row->area != 255 ? std::to_string(row->area) : std::string()},
          {"degree", "int", std::to_string(n.degree)},
          {"cluster", "int", cluster_known ? std::to_string(row->cluster) : std::string()},
          {"memberships", "int", cluster_known ? std::to_string(row->memberships) : std::string()}};
}

std::vector<Attribute> edge_attributes(const RunResults& r, const FinalEdge& e, const std::vector<std::string>& names) {
  std::string instrument;
  if (e.instrument >= 0)
    instrument = static_cast<std::size_t>(e.instrument) < names.size() ? names[std::size_t(e.instrument)]
                                                                       : "instrument_" + std::to_string(e.instrument);
  return {{"weight", "double", number_or_empty(e.weight)},
          {"formed_month", "int", std::to_string(e.formed_month)},
          {"formed", "string", month_label(r.start_year, r.start_month, e.formed_month)},
          {"origin", "string", origin_name(e.origin)},
          {"instrument", "string", instrument}};
}

std::string final_date(const RunResults& r) {
  return r.months.empty() ? std::string() : month_label(r.start_year, r.start_month, r.months.back());
}

}  // namespace

std::vector<std::string> instrument_names(const RunResults& r) {
  std::vector<std::string> names;
  try {
    const YAML::Node root = YAML::Load(r.resolved_yaml);
    const YAML::Node list = root["instruments"];
    if (list && list.IsSequence())
      for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node name = list[i]["name"];
        names.push_back(name && name.IsScalar() ? name.as<std::string>() : "instrument_" + std::to_string(i));
      }
  } catch (const YAML::Exception&) {
    names.clear();  // a scenario text that does not parse: indices are named instrument_<i>
  }
  return names;
}

void write_results_csv(const RunResults& r, const std::string& directory, OutputSet& files,
                       const ExportOptions& options) {
  const fs::path dir(directory);
  for (const auto& rep : r.replicates) require_complete(rep, options);
  const auto open = [&](const char* name) -> std::ostream& { return files.open((dir / name).string(), "--csv"); };
  const std::string sc = csv_quote(r.scenario_name);
  std::vector<std::string> dates;
  for (Month m : r.months) dates.push_back(io::month_label(r.start_year, r.start_month, m));
  const auto names = instrument_names(r);

  {
    auto& out = open("metrics.csv");
    out << "scenario,replicate,month,date,group,metric,value,unit\n";
    for (std::size_t k = 0; k < r.replicates.size(); ++k)
      for (std::size_t s = 0; s < r.series.size(); ++s)
        for (std::size_t m = 0; m < r.months.size(); ++m)
          out << sc << ',' << k << ',' << r.months[m] << ',' << dates[m] << ',' << csv_quote(r.series[s].group) << ','
              << csv_quote(r.series[s].name) << ',' << csv_number(r.replicates[k].series[s][m]) << ','
              << csv_quote(r.series[s].unit) << '\n';
  }
  {
    auto& out = open("regions.csv");
    out << "region,nuts_id,name,country,category,lon,lat,population,gdp_index\n";
    for (std::size_t g = 0; g < r.regions.size(); ++g) {
      const auto& x = r.regions[g];
      out << g << ',' << csv_quote(x.nuts_id) << ',' << csv_quote(x.name) << ',' << csv_quote(x.country) << ','
          << csv_quote(x.category) << ',' << csv_number(x.lon) << ',' << csv_number(x.lat) << ','
          << csv_number(x.population) << ',' << csv_number(x.gdp_index) << '\n';
    }
  }
  {
    auto& out = open("region_series.csv");
    out << "scenario,replicate,month,date,nuts_id,series,value,unit\n";
    for (std::size_t k = 0; k < r.replicates.size(); ++k)
      for (std::size_t s = 0; s < r.region_series.size(); ++s)
        for (std::size_t m = 0; m < r.months.size(); ++m)
          for (std::size_t g = 0; g < r.regions.size(); ++g)
            out << sc << ',' << k << ',' << r.months[m] << ',' << dates[m] << ',' << csv_quote(r.regions[g].nuts_id)
                << ',' << csv_quote(r.region_series[s].name) << ',' << csv_number(r.replicates[k].region_series[s][m][g])
                << ',' << csv_quote(r.region_series[s].unit) << '\n';
  }
  {
    auto& out = open("partnerships.csv");
    out << "scenario,replicate,id,instrument,lead,members,start,end,grant_eur,smes_supported,status\n";
    for (std::size_t k = 0; k < r.replicates.size(); ++k)
      for (const auto& x : r.replicates[k].partnerships) {
        std::string members;
        for (std::size_t j = 0; j < x.members.size(); ++j) {
          if (j) members += ';';
          members += std::to_string(x.members[j]);
        }
        out << sc << ',' << k << ',' << x.id << ',' << csv_quote(x.instrument) << ',' << x.lead << ',' << members << ','
            << x.start << ',' << x.end << ',' << csv_number(x.grant_eur) << ',' << x.smes_supported << ','
            << csv_quote(x.status) << '\n';
      }
  }
  {
    auto& out = open("edges.csv");
    out << "scenario,replicate,source,target,weight,formed_month,origin,instrument,instrument_name\n";
    for (std::size_t k = 0; k < r.replicates.size(); ++k)
      for (const auto& e : r.replicates[k].final_edges) {
        const auto a = edge_attributes(r, e, names);
        out << sc << ',' << k << ',' << e.source << ',' << e.target << ',' << csv_number(e.weight) << ','
            << e.formed_month << ',' << origin_name(e.origin) << ',' << e.instrument << ',' << csv_quote(a[4].value)
            << '\n';
      }
  }
  {
    auto& out = open("nodes.csv");
    out << "scenario,replicate,id,kind,region,nuts_id,area,degree,cluster,memberships\n";
    for (std::size_t k = 0; k < r.replicates.size(); ++k) {
      const auto& rep = r.replicates[k];
      for (const GraphNode& n : graph_nodes(rep, options)) {
        if (!n.row) continue;  // an edge endpoint missing from the table has nothing to tell here
        const FinalNode& x = *n.row;
        const bool known = rep.final_nodes_complete;
        out << sc << ',' << k << ',' << x.id << ',' << kind_name(x.kind) << ',' << x.region << ','
            << csv_quote(x.region < r.regions.size() ? r.regions[x.region].nuts_id : std::string()) << ','
            << static_cast<int>(x.area) << ',' << n.degree << ',' << (known ? std::to_string(x.cluster) : "") << ','
            << (known ? std::to_string(x.memberships) : "") << '\n';
      }
    }
  }
  {
    auto& out = open("tables.csv");
    out << "scenario,replicate,table,month,date,k,value\n";
    for (std::size_t k = 0; k < r.replicates.size(); ++k)
      for (std::size_t t = 0; t < r.replicates[k].tables.size(); ++t)
        for (std::size_t m = 0; m < r.replicates[k].tables[t].size(); ++m)
          for (std::size_t j = 0; j < r.replicates[k].tables[t][m].size(); ++j)
            out << sc << ',' << k << ',' << csv_quote(r.replicates[k].table_names[t]) << ','
                << (m < r.months.size() ? std::to_string(r.months[m]) : std::to_string(m)) << ','
                << (m < dates.size() ? dates[m] : "") << ',' << j << ',' << csv_number(r.replicates[k].tables[t][m][j])
                << '\n';
  }
}

void write_graphml(const RunResults& r, std::size_t k, std::ostream& out, const ExportOptions& options) {
  const auto& rep = r.replicates[k];
  const auto nodes = graph_nodes(rep, options);
  const auto names = instrument_names(r);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
         "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n";
  // Keys are declared from the attribute lists themselves, so declarations and data cannot differ.
  const GraphNode probe_node{0, nullptr, 0};
  const FinalEdge probe_edge{};
  for (const char* name : {"scenario", "replicate", "seed", "date"})
    out << "  <key id=\"" << name << "\" for=\"graph\" attr.name=\"" << name << "\" attr.type=\"string\"/>\n";
  for (const auto& a : node_attributes(r, rep, probe_node))
    out << "  <key id=\"" << a.name << "\" for=\"node\" attr.name=\"" << a.name << "\" attr.type=\"" << a.type << "\"/>\n";
  for (const auto& a : edge_attributes(r, probe_edge, names))
    out << "  <key id=\"" << a.name << "\" for=\"edge\" attr.name=\"" << a.name << "\" attr.type=\"" << a.type << "\"/>\n";
  out << "  <graph id=\"G\" edgedefault=\"undirected\">\n"
      << "    <data key=\"scenario\">" << xml(r.scenario_name) << "</data><data key=\"replicate\">" << k
      << "</data><data key=\"seed\">" << r.seed << "</data><data key=\"date\">" << final_date(r) << "</data>\n";
  for (const auto& n : nodes) {
    out << "    <node id=\"n" << n.id << "\">";
    for (const auto& a : node_attributes(r, rep, n))
      if (!a.value.empty()) out << "<data key=\"" << a.name << "\">" << xml(a.value) << "</data>";
    out << "</node>\n";
  }
  std::size_t i = 0;
  for (const auto& e : rep.final_edges) {
    out << "    <edge id=\"e" << i++ << "\" source=\"n" << e.source << "\" target=\"n" << e.target << "\">";
    for (const auto& a : edge_attributes(r, e, names))
      if (!a.value.empty()) out << "<data key=\"" << a.name << "\">" << xml(a.value) << "</data>";
    out << "</edge>\n";
  }
  out << "  </graph>\n</graphml>\n";
}

void write_gexf(const RunResults& r, std::size_t k, std::ostream& out, const ExportOptions& options) {
  const auto& rep = r.replicates[k];
  const auto nodes = graph_nodes(rep, options);
  const auto names = instrument_names(r);
  const auto gexf_type = [](const char* type) { return std::string(type) == "int" ? "integer" : type; };
  // GEXF 1.2draft: the version NetworkX (2.x and 3.x) and Gephi both read; NetworkX 2.8 cannot
  // read 1.3 ("No <graph> element"). The tie weight goes in the edge's own weight attribute.
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<gexf xmlns=\"http://www.gexf.net/1.2draft\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd\" version=\"1.2\">\n"
      << "  <meta><creator>clusternet " << clusternet::version << "</creator><description>"
      << xml("final network (" + final_date(r) + ") of scenario " + r.scenario_name + ", replicate " +
             std::to_string(k) + ", seed " + std::to_string(r.seed))
      << "</description></meta>\n"
      << "  <graph defaultedgetype=\"undirected\" mode=\"static\">\n"
      << "    <attributes class=\"node\" mode=\"static\">\n";
  const GraphNode probe_node{0, nullptr, 0};
  for (const auto& a : node_attributes(r, rep, probe_node))
    if (std::string(a.name) != "label")
      out << "      <attribute id=\"" << a.name << "\" title=\"" << a.name << "\" type=\"" << gexf_type(a.type) << "\"/>\n";
  out << "    </attributes>\n    <attributes class=\"edge\" mode=\"static\">\n";
  for (const auto& a : edge_attributes(r, FinalEdge{}, names))
    if (std::string(a.name) != "weight")
      out << "      <attribute id=\"" << a.name << "\" title=\"" << a.name << "\" type=\"" << gexf_type(a.type) << "\"/>\n";
  out << "    </attributes>\n    <nodes>\n";
  for (const auto& n : nodes) {
    out << "      <node id=\"n" << n.id << "\" label=\"" << n.id << "\"><attvalues>";
    for (const auto& a : node_attributes(r, rep, n))
      if (!a.value.empty() && std::string(a.name) != "label")
        out << "<attvalue for=\"" << a.name << "\" value=\"" << xml(a.value) << "\"/>";
    out << "</attvalues></node>\n";
  }
  out << "    </nodes>\n    <edges>\n";
  std::size_t i = 0;
  for (const auto& e : rep.final_edges) {
    const auto attributes = edge_attributes(r, e, names);
    out << "      <edge id=\"e" << i++ << "\" source=\"n" << e.source << "\" target=\"n" << e.target << "\"";
    if (!attributes[0].value.empty()) out << " weight=\"" << attributes[0].value << "\"";
    out << "><attvalues>";
    for (const auto& a : attributes)
      if (!a.value.empty() && std::string(a.name) != "weight")
        out << "<attvalue for=\"" << a.name << "\" value=\"" << xml(a.value) << "\"/>";
    out << "</attvalues></edge>\n";
  }
  out << "    </edges>\n  </graph>\n</gexf>\n";
}

}  // namespace clusternet::io
