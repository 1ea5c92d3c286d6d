# JUnit XML for RSpec, written by split-tests (`split-tests run --runner rspec` loads it with
# --require and --format SplitTests::JUnitFormatter --out PATH). Every testcase carries `file`,
# the spec file the example belongs to (for shared examples, the file that includes them), so
# split-tests can map its time back to that file; `name` is the full description, what -E matches.
require 'time'

module SplitTests
  class JUnitFormatter
    RSpec::Core::Formatters.register self, :start, :dump_summary

    def initialize(output)
      @output = output
    end

    def start(_notification)
      @started = Time.now
    end

    def dump_summary(summary)
      examples = summary.examples
      failed = examples.count { |e| e.execution_result.status == :failed }
      skipped = examples.count { |e| e.execution_result.status == :pending }
      @output << %(<?xml version="1.0" encoding="UTF-8"?>\n)
      @output << %(<testsuites tests="#{examples.size}" failures="#{failed}" skipped="#{skipped}" errors="0" time="#{format('%.6f', summary.duration)}">\n)
      @output << %(<testsuite name="rspec" tests="#{examples.size}" failures="#{failed}" skipped="#{skipped}" errors="0" time="#{format('%.6f', summary.duration)}" timestamp="#{(@started || Time.now).utc.iso8601}">\n)
      examples.each { |example| write_case(example) }
      @output << "</testsuite>\n</testsuites>\n"
    end

    private

    def write_case(example)
      result = example.execution_result
      file = (example.metadata[:rerun_file_path] || example.metadata[:file_path]).to_s.sub(%r{\A\./}, '')
      classname = file.sub(/\.rb\z/, '').tr('/', '.')
      attributes = %(classname="#{xml(classname)}" name="#{xml(example.full_description)}" file="#{xml(file)}" time="#{format('%.6f', result.run_time.to_f)}")
      case result.status
      when :failed
        exception = result.exception
        message = exception ? exception.message.to_s : 'failed'
        backtrace = exception && exception.backtrace ? exception.backtrace.join("\n") : ''
        @output << %(<testcase #{attributes}><failure message="#{xml(message)}" type="#{xml(exception ? exception.class.name : 'Failure')}">#{xml("#{message}\n#{backtrace}")}</failure></testcase>\n)
      when :pending
        @output << %(<testcase #{attributes}><skipped message="#{xml(result.pending_message.to_s)}"/></testcase>\n)
      else
        @output << %(<testcase #{attributes}/>\n)
      end
    end

    # XML 1.0 text: the five entities, and characters XML cannot hold dropped
    def xml(text)
      text.to_s.encode('UTF-8', invalid: :replace, undef: :replace)
          .gsub(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/, '')
          .gsub('&', '&amp;').gsub('<', '&lt;').gsub('>', '&gt;').gsub('"', '&quot;').gsub("'", '&apos;')
    end
  end
end
