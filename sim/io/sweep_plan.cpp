#include "io/sweep_plan.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/parallel.hpp"
#include "experiments/grid.hpp"
#include "io/money.hpp"
#include "io/scenario_checks.hpp"
#include "io/scenario_composition.hpp"
#include "io/scenario_reader.hpp"
#include "io/sweep_keys.hpp"

namespace clusternet::io {
using sweep_keys::fixed_key_reason;
using sweep_keys::kind_valid;
using sweep_keys::numeric_kinds;
using sweep_keys::parse_value;
using sweep_keys::schema_path_of;

namespace {

YamlValue scalar(std::string text, const SourceLocation& where) {
  YamlValue value;
  value.kind = YamlValue::Kind::scalar;
  value.text = std::move(text);
  value.where = where;
  return value;
}

bool same_place(const SourceLocation& a, const SourceLocation& b) {
  return a.file == b.file && a.line == b.line && a.column == b.column;
}

// A swept key as written, with where its parts are, for errors.
struct WrittenParameter {
  SweepParameterSpec spec;
  bool contrast = false;
  std::string path;      // "sweep.parameters[0]", "sweep" (one-parameter form), "sweep.contrast"
  std::string key_path;  // the key's own entry
  SourceLocation key_where;
  const YamlValue* node = nullptr;    // the item (or the sweep / contrast map)
  const YamlValue* values = nullptr;  // its values list
  const YamlValue* range = nullptr;   // its range map
};

class Planner {
 public:
  Planner(const Scenario& scenario, const YamlValue& tree, const YamlValue& sweep, ErrorCollector& errors)
      : scenario_(scenario), spec_(scenario.sweep), sweep_(sweep), errors_(errors), base_ok_(errors.empty()) {
    base_ = tree;
    base_.erase("sweep");
  }

  std::optional<SweepPlan> run() {
    const std::size_t before = errors_.size();
    collect_parameters();
    check_settings();
    SweepPlan plan = settings();
    for (std::size_t i = 0; i < written_.size(); ++i) read_parameter(written_[i], plan);
    check_values_as_written();
    if (errors_.size() > before) return std::nullopt;
    try {
      draw_points(plan);
    } catch (const Error& e) {
      ErrorInfo info = e.info();
      locate_design_error(info);
      errors_.add(std::move(info));
      return std::nullopt;
    }
    // A point is only worth checking against a valid base: otherwise every point repeats its problems.
    if (base_ok_) check_points(plan);
    if (errors_.size() > before) return std::nullopt;
    return plan;
  }

 private:
  const Scenario& scenario_;
  const SweepSpec& spec_;
  const YamlValue& sweep_;
  ErrorCollector& errors_;
  bool base_ok_;
  YamlValue base_;
  std::vector<WrittenParameter> written_;
  std::vector<std::vector<const YamlValue*>> unparsed_;  // per parameter: values the reader must explain

  SourceLocation where_of(const char* key) const {
    const YamlValue* node = sweep_.find(key);
    return node ? node->where : sweep_.where;
  }

  void collect_parameters() {
    const bool one_parameter = !spec_.parameter.empty() || !spec_.values.empty();
    const YamlValue* list = sweep_.find("parameters");
    if (one_parameter) {
      const YamlValue* parameter = sweep_.find("parameter");
      const YamlValue* values = sweep_.find("values");
      if (!spec_.parameters.empty())
        errors_.add({"give either parameter and values (one swept key) or parameters, not both",
                     where_of("parameters"), "sweep.parameters", "both forms",
                     "parameter: KEY with values: [...], or a list under parameters"});
      else if (spec_.parameter.empty())
        errors_.add({"a sweep needs a parameter",
                     sweep_.where,
                     "sweep.parameter",
                     {},
                     "a dotted key, e.g. instruments.jci.budget"});
      else if (!values || !values->is_seq() || values->items.empty())
        errors_.add({"a sweep needs at least one value", values ? values->where : sweep_.where,
                     "sweep.values", values ? describe(*values) : "",
                     "a non-empty list, e.g. [0, 50M, 100M]"});
      else
        written_.push_back({SweepParameterSpec{spec_.parameter, spec_.values, {}, {}, {}, 0, 0}, false,
                            "sweep", "sweep.parameter", parameter ? parameter->where : sweep_.where, &sweep_,
                            values, nullptr});
      if (spec_.design != static_cast<int>(SweepDesign::grid))
        errors_.add({"the one-parameter form (parameter and values) is a grid", where_of("design"),
                     "sweep.design", std::string(sweep_design_names[static_cast<std::size_t>(spec_.design)]),
                     "design: grid, or list the swept keys with their ranges under parameters"});
    } else {
      if (spec_.parameters.empty() || !list || !list->is_seq())
        errors_.add({"a sweep needs parameters", list ? list->where : sweep_.where, "sweep.parameters",
                     list ? describe(*list) : "",
                     "a list of swept keys: - key: KEY with values: [...] or range: {from: ..., to: ...}"});
      // The reader leaves out items that are not maps (and reported them): then nothing lines up.
      else if (list->items.size() == spec_.parameters.size())
        for (std::size_t i = 0; i < list->items.size(); ++i) {
          const YamlValue& item = list->items[i];
          const YamlValue* key = item.find("key");
          const std::string path = "sweep.parameters[" + std::to_string(i) + "]";
          written_.push_back({spec_.parameters[i], false, path, path + ".key", key ? key->where : item.where,
                              &item, item.find("values"), item.find("range")});
        }
    }
    const auto& contrast = spec_.contrast;
    if (!contrast.key.empty() || !contrast.values.empty()) {
      const YamlValue* node = sweep_.find("contrast");
      const YamlValue* key = node ? node->find("key") : nullptr;
      const YamlValue* values = node ? node->find("values") : nullptr;
      if (contrast.key.empty())
        errors_.add({"a contrast needs a key",
                     node ? node->where : sweep_.where,
                     "sweep.contrast.key",
                     {},
                     "the key whose values every point runs with, e.g. instruments.jci.budget"});
      else if (!values || !values->is_seq() || values->items.size() < 2)
        errors_.add({"a contrast needs at least two values (the first is the reference)",
                     values ? values->where : (node ? node->where : sweep_.where), "sweep.contrast.values",
                     values ? describe(*values) : "", "a list such as [0, 300M]"});
      else
        written_.push_back({SweepParameterSpec{contrast.key, contrast.values, {}, {}, {}, 0, 0}, true,
                            "sweep.contrast", "sweep.contrast.key", key ? key->where : node->where, node,
                            values, nullptr});
    }
  }

  // Settings that belong to another design are refused rather than ignored: a `trajectories: 20`
  // under a Latin hypercube is a mistake the user wants to hear about. A setting at its default is
  // let through, since the effective scenario text (validate --print-effective) writes them all.
  void check_settings() {
    const auto design = static_cast<SweepDesign>(spec_.design);
    const SweepSpec defaults;
    struct Owner {
      const char* key;
      std::vector<SweepDesign> designs;
      bool is_default;
    };
    const std::vector<Owner> owners = {
        {"samples", {SweepDesign::latin_hypercube}, spec_.samples == defaults.samples},
        {"trajectories", {SweepDesign::morris}, spec_.trajectories == defaults.trajectories},
        {"levels", {SweepDesign::morris}, spec_.levels == defaults.levels},
        {"base_samples", {SweepDesign::sobol}, spec_.base_samples == defaults.base_samples},
        {"bootstrap_resamples",
         {SweepDesign::morris, SweepDesign::sobol},
         spec_.bootstrap_resamples == defaults.bootstrap_resamples},
        {"seed",
         {SweepDesign::latin_hypercube, SweepDesign::morris, SweepDesign::sobol},
         spec_.seed == defaults.seed}};
    for (const auto& owner : owners) {
      const YamlValue* node = sweep_.find(owner.key);
      if (!node || owner.is_default ||
          std::find(owner.designs.begin(), owner.designs.end(), design) != owner.designs.end())
        continue;
      std::string designs;
      for (const auto d : owner.designs)
        designs += (designs.empty() ? "" : ", ") + std::string(sweep_design_name(d));
      errors_.add({std::string("sweep.") + owner.key + " does not apply to a " +
                       std::string(sweep_design_name(design)) + " design" +
                       (design == SweepDesign::grid && std::string(owner.key) == "seed"
                            ? " (a grid has no random part)"
                            : ""),
                   node->where, std::string("sweep.") + owner.key,
                   node->is_scalar() ? node->text : describe(*node), "a setting of " + designs});
    }
    if (design == SweepDesign::latin_hypercube && spec_.samples == 0)
      errors_.add({"a Latin hypercube needs a number of samples",
                   sweep_.where,
                   "sweep.samples",
                   {},
                   "samples: N (N >= 1)"});
  }

  SweepPlan settings() const {
    SweepPlan plan;
    plan.name = scenario_.name;
    plan.design = static_cast<SweepDesign>(spec_.design);
    plan.seed = scenario_.seed;
    plan.design_seed = spec_.seed >= 0 ? static_cast<std::uint64_t>(spec_.seed) : scenario_.seed;
    plan.replicates = scenario_.replicates;
    plan.samples = static_cast<std::size_t>(spec_.samples);
    plan.trajectories = static_cast<std::size_t>(spec_.trajectories);
    plan.levels = static_cast<std::size_t>(spec_.levels);
    plan.base_samples = static_cast<std::size_t>(spec_.base_samples);
    plan.bootstrap_resamples = static_cast<std::size_t>(spec_.bootstrap_resamples);
    return plan;
  }

  void add(std::string message, const SourceLocation& where, std::string key, std::string found,
           std::string valid) {
    errors_.add({std::move(message), where, std::move(key), std::move(found), std::move(valid)});
  }

  std::optional<double> bound(const WrittenParameter& w, SweptKind kind, const char* name,
                              const std::string& text) {
    const YamlValue* node = w.range ? w.range->find(name) : nullptr;
    const SourceLocation where = node ? node->where : (w.range ? w.range->where : w.key_where);
    const std::string key = w.path + ".range." + name;
    if (text.empty()) {
      add(std::string("a range needs `") + name + "`", where, key, {}, kind_valid(kind));
      return std::nullopt;
    }
    std::string problem;
    const auto value = parse_value(kind, text, problem);
    if (!value) add(problem, where, key, text, kind_valid(kind));
    return value;
  }

  // A swept key as written, checked and added to `plan`; every problem is reported. unparsed_ gets
  // an entry for it either way, so that it stays in step with written_.
  void read_parameter(const WrittenParameter& w, SweepPlan& plan) {
    unparsed_.emplace_back();
    const auto design = plan.design;
    const std::optional<SweptKind> kind = sweepable_kind(w, plan);
    if (!kind) return;
    SweptParameter p;
    p.key = w.spec.key;
    p.kind = *kind;
    p.contrast = w.contrast;
    // By content rather than by presence: the effective scenario text writes every key, empty ones too.
    const bool has_values = w.values != nullptr && !(w.values->is_seq() && w.values->items.empty());
    const bool has_range = w.range != nullptr && (!w.spec.from.empty() || !w.spec.to.empty() ||
                                                  !w.spec.step.empty() || w.spec.steps != 0);
    if (has_values == has_range) {
      add(has_values ? "give either values or a range, not both" : "a swept key needs values or a range",
          w.node ? w.node->where : w.key_where, w.path, p.key,
          design == SweepDesign::grid ? "values: [...] or range: {from: A, to: B, steps: N} (or step: S)"
                                      : "range: {from: A, to: B}");
      return;
    }
    if (has_values ? !read_values(w, design, p) : !read_range(w, design, p)) return;
    if (!p.values.empty()) {
      p.low = *std::min_element(p.values.begin(), p.values.end());
      p.high = *std::max_element(p.values.begin(), p.values.end());
    }
    if (p.contrast && p.values.size() < 2 && unparsed_.back().empty()) {
      add("a contrast needs at least two distinct values", w.values->where, "sweep.contrast.values",
          describe(*w.values), "e.g. [0, 300M]");
      return;
    }
    plan.parameters.push_back(std::move(p));
  }

  // The kind of value the key of `w` holds, when a sweep may vary it: not swept already, a path
  // that --set accepts, not a key every point must share, and numeric. Otherwise reports why.
  std::optional<SweptKind> sweepable_kind(const WrittenParameter& w, const SweepPlan& plan) {
    const std::string& key = w.spec.key;
    for (const auto& other : plan.parameters)
      if (other.key == key) {
        add("the key is swept twice", w.key_where, w.key_path, key,
            "each key once (design parameters and contrast)");
        return std::nullopt;
      }
    {
      // The same path rules as --set: a settable leaf, instruments addressed by name.
      YamlValue probe = base_;
      ErrorCollector trial;
      if (!apply_set(probe, key, scalar("0", w.key_where), w.key_where, trial)) {
        for (auto info : trial.errors()) {
          info.where = w.key_where;
          info.key = w.key_path;
          errors_.add(std::move(info));
        }
        return std::nullopt;
      }
    }
    const std::string schema_key = schema_path_of(key);
    if (const std::string reason = fixed_key_reason(schema_key); !reason.empty()) {
      add("this key cannot be swept: " + reason, w.key_where, w.key_path, key,
          "a key of world, behaviour or instruments");
      return std::nullopt;
    }
    const auto kind_it = numeric_kinds().find(schema_key);
    if (kind_it == numeric_kinds().end()) {
      add("a swept key must hold a number, a whole number or an amount of money", w.key_where, w.key_path,
          key, "a numeric key, e.g. behaviour.tie_decay_rate or instruments.NAME.budget");
      return std::nullopt;
    }
    return kind_it->second;
  }

  // `values: [...]`, for a grid or a contrast. A value that does not parse is left to
  // check_values_as_written, which reports it in the scenario reader's words (unparsed_ notes it).
  bool read_values(const WrittenParameter& w, SweepDesign design, SweptParameter& p) {
    if (design != SweepDesign::grid && !w.contrast) {
      add("values are for a grid; a " + std::string(sweep_design_name(design)) + " design samples a range",
          w.values->where, w.path + ".values", describe(*w.values), "range: {from: A, to: B}");
      return false;
    }
    if (!w.values->is_seq() || w.values->items.empty()) {
      add("at least one value is needed", w.values->where, w.path + ".values", describe(*w.values),
          "a list such as [0, 50M]");
      return false;
    }
    std::set<double> seen;  // a list may hold 200,000 values: no search of the list per value
    for (const auto& item : w.values->items) {
      if (!item.is_scalar()) continue;  // the reader reported it
      std::string problem;
      const auto value = parse_value(p.kind, item.text, problem);
      if (!value) {
        unparsed_.back().push_back(&item);
        continue;
      }
      if (!seen.insert(*value).second) {
        add("the value is listed twice", item.where, w.path + ".values", item.text, "each value once");
        continue;
      }
      p.values.push_back(*value);
    }
    return true;
  }

  // `range: {from, to, ...}`: a grid's axis (with step or steps), or the bounds a sampled design
  // draws from.
  bool read_range(const WrittenParameter& w, SweepDesign design, SweptParameter& p) {
    const auto from = bound(w, p.kind, "from", w.spec.from);
    const auto to = bound(w, p.kind, "to", w.spec.to);
    if (!from || !to) return false;
    p.log_scale = w.spec.scale == 1;
    const YamlValue* step_node = w.spec.step.empty() ? nullptr : w.range->find("step");
    const YamlValue* steps_node = w.spec.steps == 0 ? nullptr : w.range->find("steps");
    if (design == SweepDesign::grid && !w.contrast)
      return read_grid_axis(w, *from, *to, step_node, steps_node, p);
    if (step_node || steps_node) {
      add("step and steps belong to a grid; a " + std::string(sweep_design_name(design)) +
              " design samples the range",
          (step_node ? step_node : steps_node)->where, w.path + ".range", {}, "range: {from: A, to: B}");
      return false;
    }
    if (p.kind == SweptKind::whole) {
      add("a whole-number key can be swept by a grid only", w.key_where, w.key_path, p.key,
          "a key holding a number or an amount of money, or design: grid");
      return false;
    }
    p.low = *from;
    p.high = *to;
    return true;
  }

  // A grid's range as the values of its axis. Money is rounded to the cent, so two steps closer
  // than a cent would give one value twice: refused, as is a whole-number key given fractions.
  bool read_grid_axis(const WrittenParameter& w, double from, double to, const YamlValue* step_node,
                      const YamlValue* steps_node, SweptParameter& p) {
    if ((step_node != nullptr) == (steps_node != nullptr)) {
      add("a grid's range needs either step (the size of a step) or steps (how many equal steps)",
          w.range->where, w.path + ".range", step_node ? "both" : "neither",
          "range: {from: 0, to: 400M, step: 50M} or {..., steps: 8}");
      return false;
    }
    try {
      experiments::GridAxis axis;
      if (steps_node) {
        if (w.spec.steps < 1) {
          add("at least one step is needed", steps_node->where, w.path + ".range.steps", steps_node->text,
              "steps >= 1");
          return false;
        }
        const auto count = static_cast<std::size_t>(w.spec.steps) + 1;
        axis = p.log_scale ? experiments::log_axis(p.key, from, to, count)
                           : experiments::linear_axis(p.key, from, to, count);
      } else {
        if (p.log_scale) {
          add("a log-scale range takes steps (how many), not step", step_node->where,
              w.path + ".range.step", step_node->text, "steps: N");
          return false;
        }
        std::string problem;
        const auto step = parse_value(p.kind, w.spec.step, problem);
        if (!step) {
          add(problem, step_node->where, w.path + ".range.step", w.spec.step, kind_valid(p.kind));
          return false;
        }
        axis = experiments::stepped_axis(p.key, from, to, *step);
      }
      p.values = axis.values;
    } catch (const Error& e) {
      add(e.info().message, w.range->where, w.path + ".range", e.info().found, e.info().valid);
      return false;
    }
    for (double& v : p.values) {
      if (p.kind == SweptKind::money) v = std::round(v * 100.0) / 100.0;
      if (p.kind == SweptKind::whole && v != std::round(v)) {
        add("the range gives a value that is not a whole number: " + experiments::number_text(v),
            w.range->where, w.path + ".range", experiments::number_text(v),
            "from, to and step (or steps) that give whole numbers");
        return false;
      }
    }
    // Sorted, not searched value by value: a range may have 10,000,000 steps.
    std::vector<double> sorted = p.values;
    std::sort(sorted.begin(), sorted.end());
    if (const auto twice = std::adjacent_find(sorted.begin(), sorted.end()); twice != sorted.end()) {
      add("the range's steps are smaller than a cent", w.range->where, w.path + ".range",
          experiments::number_text(*twice), "steps of at least 0.01 EUR");
      return false;
    }
    return true;
  }

  // Every value as written, and both ends of every range, set alone on the scenario and read like
  // any value of the file: a bad value is reported at its own line with the reader's own words.
  void check_values_as_written() {
    for (std::size_t i = 0; i < written_.size(); ++i) {
      const WrittenParameter& w = written_[i];
      std::vector<YamlValue> written;
      if (w.values && w.values->is_seq()) written = w.values->items;
      if (w.range && w.range->is_map())
        for (const char* end : {"from", "to"})
          if (const YamlValue* node = w.range->find(end); node && node->is_scalar() && !node->text.empty())
            written.push_back(*node);
      for (const auto& value : written) {
        if (!value.is_scalar()) continue;
        YamlValue copy = base_;
        ErrorCollector trial;
        if (!apply_set(copy, w.spec.key, value, value.where, trial)) continue;  // the key was reported
        const ParsedScenario variant = read_scenario_tree(copy, trial);
        check_scenario(variant, copy.where, trial);
        bool explained = false;
        for (auto info : trial.errors()) {
          if (!same_place(info.where, value.where)) continue;
          info.message = "sweep value: " + info.message;
          errors_.add(std::move(info));
          explained = true;
        }
        const auto& unparsed = i < unparsed_.size() ? unparsed_[i] : std::vector<const YamlValue*>{};
        const bool unread = std::any_of(unparsed.begin(), unparsed.end(), [&](const YamlValue* item) {
          return same_place(item->where, value.where);
        });
        if (!explained && unread)
          errors_.add({"sweep value: not a value of this key", value.where, w.path + ".values", value.text,
                       "a number or an amount"});
      }
    }
  }

  void locate_design_error(ErrorInfo& info) const {
    for (const auto& w : written_)
      if (info.key == w.spec.key) {
        info.where = w.key_where;
        info.key = w.key_path;
        return;
      }
    for (const char* setting : {"samples", "trajectories", "levels", "base_samples", "bootstrap_resamples"})
      if (info.key == setting) {
        info.where = where_of(setting);
        info.message = "sweep design: " + info.message;
        info.key = std::string("sweep.") + setting;
        return;
      }
    const auto design = static_cast<SweepDesign>(spec_.design);
    const char* setting = design == SweepDesign::latin_hypercube ? "samples"
                          : design == SweepDesign::morris        ? "trajectories"
                          : design == SweepDesign::sobol         ? "base_samples"
                                                                 : "parameters";
    info.where = where_of(setting);
    info.message = "sweep design: " + info.message;
    if (info.key.empty() || info.key == "parameters") info.key = std::string("sweep.") + setting;
  }

  std::string describe_point(const SweepPlan& plan, std::size_t point) const {
    std::string text;
    for (std::size_t j = 0; j < plan.parameters.size(); ++j)
      text += (j ? ", " : "") + plan.parameters[j].key + "=" +
              value_text(plan.parameters[j], plan.points.at(point, j));
    return text;
  }

  // Every point as a scenario: values valid one by one can still make an invalid combination
  // (shares adding up to more than one). Problems are reported at the first swept key, naming the
  // point; the first ten invalid points are listed. Each point reads the whole scenario again, so
  // the points of a batch are read in parallel, each into its own slot, and reported in point
  // order: the same errors on any thread count. A 100,001-point grid on two idle cores: 4.1-4.8 s,
  // against 12.3-15.1 s read one after another (with the reader's slower lookups of the time).
  void check_points(const SweepPlan& plan) {
    constexpr std::size_t listed = 10, batch = 4096;
    std::size_t invalid = 0;
    std::set<std::string> reported;
    const SourceLocation anchor = written_.empty() ? sweep_.where : written_.front().key_where;
    std::vector<std::vector<ErrorInfo>> found(batch);
    for (std::size_t first = 0; first < plan.point_count(); first += batch) {
      const std::size_t last = std::min(plan.point_count(), first + batch);
      for_each_index(first, last, [&](std::size_t point) {
        YamlValue copy = point_tree(base_, plan, point);
        ErrorCollector trial;
        const ParsedScenario variant = read_scenario_tree(copy, trial);
        check_scenario(variant, copy.where, trial);
        found[point - first] = trial.errors();
      }, Execution::parallel, 8);
      for (std::size_t point = first; point < last; ++point) report_point(plan, point, found[point - first], anchor,
                                                                          listed, invalid, reported);
    }
    if (invalid > listed)
      errors_.add({"and " + std::to_string(invalid - listed) + " more invalid sweep points", anchor, "sweep",
                   std::to_string(invalid) + " of " + std::to_string(plan.point_count()) + " points",
                   "ranges whose every combination is a valid scenario"});
  }

  void report_point(const SweepPlan& plan, std::size_t point, const std::vector<ErrorInfo>& trial,
                    const SourceLocation& anchor, std::size_t listed, std::size_t& invalid,
                    std::set<std::string>& reported) {
    if (trial.empty() || ++invalid > listed) return;
    for (auto info : trial) {
      if (!reported.insert(info.key + "\n" + info.message + "\n" + info.found).second) continue;
      info.message = "sweep point " + std::to_string(point) + " (" + describe_point(plan, point) +
                     "): " + info.message;
      info.where = anchor;
      errors_.add(std::move(info));
    }
  }
};

}  // namespace

std::string value_text(const SweptParameter& parameter, double value) {
  switch (parameter.kind) {
    case SweptKind::money:
      return format_money(static_cast<Cents>(std::llround(value * 100.0)));
    case SweptKind::whole:
      return std::to_string(static_cast<std::int64_t>(std::llround(value)));
    case SweptKind::number:
      return experiments::number_text(value);
  }
  return experiments::number_text(value);
}

YamlValue point_tree(const YamlValue& tree, const SweepPlan& plan, std::size_t point) {
  YamlValue copy = tree;
  copy.erase("sweep");
  const SourceLocation where{"sweep point " + std::to_string(point), 0, 0};
  ErrorCollector errors;
  for (std::size_t j = 0; j < plan.parameters.size(); ++j)
    apply_set(copy, plan.parameters[j].key,
              scalar(value_text(plan.parameters[j], plan.points.at(point, j)), where), where, errors);
  errors.throw_if_any();  // a plan's keys were checked when it was made; this is a plan from elsewhere
  return copy;
}

std::optional<SweepPlan> plan_sweep(const Scenario& scenario, const YamlValue& tree, ErrorCollector& errors) {
  if (scenario.sweep.empty()) return std::nullopt;
  const YamlValue* sweep = tree.find("sweep");
  if (!sweep || !sweep->is_map()) return std::nullopt;  // the reader reported what is there
  return Planner(scenario, tree, *sweep, errors).run();
}

}  // namespace clusternet::io
