import { describe, expect, it } from 'vitest';
import { nodeFileOfCase } from '../../src/junit/node-file.js';
import { createFileMatcher } from '../../src/junit/match.js';
import { pytest } from '../../src/runners/pytest.js';

const inherited = { classname: 'networkx.classes.tests.test_digraph_historical.TestDiGraphHistorical', name: 'test_name', file: 'networkx/classes/tests/historical_tests.py' };

describe('nodeFileOfCase: pytest names where a test is defined, the class name where it ran', () => {
  it('an inherited test or a decorated one: the module of the class name', () => {
    expect(nodeFileOfCase(inherited)).toEqual({ file: 'networkx/classes/tests/test_digraph_historical.py', classes: ['TestDiGraphHistorical'] });
    expect(nodeFileOfCase({ classname: 'networkx.utils.tests.test_decorators', name: 'test_preserve_random_state', file: 'networkx/utils/decorators.py' })).toEqual({
      file: 'networkx/utils/tests/test_decorators.py',
      classes: [],
    });
    expect(nodeFileOfCase({ classname: 'tests.test_sub.TestA.TestNested', file: 'tests/test_base.py' })).toEqual({ file: 'tests/test_sub.py', classes: ['TestA', 'TestNested'] });
  });

  it('undefined when the two agree, or name one module from two roots, or it is no pytest case', () => {
    expect(nodeFileOfCase({ classname: 'tests.test_cart.TestCart', file: 'tests/test_cart.py' })).toBeUndefined();
    expect(nodeFileOfCase({ classname: 'tests.test_cart', file: './tests/test_cart.py' })).toBeUndefined();
    expect(nodeFileOfCase({ classname: 'pkg.tests.test_x.TestA', file: 'src/pkg/tests/test_x.py' })).toBeUndefined();
    expect(nodeFileOfCase({ classname: '', file: 'tests/test_x.py' })).toBeUndefined();
    expect(nodeFileOfCase({ classname: 'Cart checkout adds', file: 'tests/cart.test.ts' })).toBeUndefined();
    expect(nodeFileOfCase({ classname: 'tests.test_x', file: 'tests/test_y.rb' })).toBeUndefined();
    expect(nodeFileOfCase({ classname: 'tests.test_x' })).toBeUndefined();
  });

  it('merge and --timings match the test file that ran it, even when the defining file is a test file too', () => {
    const match = createFileMatcher(['tests/test_base.py', 'tests/test_sub.py']);
    expect(match({ classname: 'tests.test_sub.TestWishlist', file: 'tests/test_base.py' })).toBe('tests/test_sub.py');
    expect(match({ classname: 'tests.test_base.TestCart', file: 'tests/test_base.py' })).toBe('tests/test_base.py');
  });

  it("the pytest preset's test id is the node id in the file that ran it", () => {
    expect(pytest.testOf({ ...inherited, suites: [], seconds: 0, status: 'passed' } as never)).toEqual({
      file: 'networkx/classes/tests/test_digraph_historical.py',
      test: 'TestDiGraphHistorical::test_name',
    });
  });
});
